package io.tokenhost.example.provider;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.Configured;
import io.tokenhost.api.ConfiguredComponent;
import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.Durations;
import java.time.Clock;
import java.time.Duration;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers an {@link ExampleProvider} for each accepted configuration of PID {@value #PID}, with the
 * host's one reaction to a bad value ({@link Configured}): it is logged and shown by {@code
 * token:status}, the provider in force stays, and with no good configuration yet none is offered.
 * The provider is registered by hand ({@link ConfiguredComponent}) so that a new configuration
 * replaces it as a whole and a refused one changes nothing.
 */
@Component(configurationPid = ExampleProviderComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {}, immediate = true)
@Designate(ocd = ExampleProviderComponent.Config.class)
public class ExampleProviderComponent extends ConfiguredComponent<ExampleProviderComponent.Settings> {

    static final String PID = "io.tokenhost.example.provider";

    /** The keys and their defaults, declared once. DS maps {@code service_name} to {@code service.name}. */
    @ObjectClassDefinition(id = PID, name = "Tokenhost example provider")
    public @interface Config {
        @AttributeDefinition(description = "The service the tokens are for.")
        String service_name() default "example";

        @AttributeDefinition(description = "How long each token is valid: " + Durations.SYNTAX + ".")
        String token_lifetime() default "1h";
    }

    /** A configuration that passed every check. */
    record Settings(String serviceName, Duration lifetime) {
        static Settings parse(ConfigValues values) {
            return new Settings(values.serviceName("service.name"), values.duration("token.lifetime"));
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ExampleProviderComponent.class);

    public ExampleProviderComponent() {
        super(new Configured<>(PID, Config.class, Settings::parse, LOG::error, LOG::warn));
    }

    @Override
    protected AutoCloseable start(Settings settings) {
        return register(DelegationTokenProvider.class,
                new ExampleProvider(settings.serviceName(), settings.lifetime(), Clock.systemUTC()), null);
    }
}
