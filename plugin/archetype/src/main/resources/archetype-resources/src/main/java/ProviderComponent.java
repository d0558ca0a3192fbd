package ${package};

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
 * Registers a {@link TokenProvider} for each accepted configuration of {@code conf/${package}.provider.cfg}.
 * A bad value is refused naming its key (logged, shown by {@code token:status}); the provider in
 * force stays. The provider is registered by hand, so no configuration value becomes a service
 * property that other bundles could read.
 */
@Component(configurationPid = ProviderComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {}, immediate = true)
@Designate(ocd = ProviderComponent.Config.class)
public class ProviderComponent extends ConfiguredComponent<ProviderComponent.Settings> {

    static final String PID = "${package}.provider";

    /** Keys and defaults, declared once; DS maps {@code token_lifetime} to key {@code token.lifetime}. */
    @ObjectClassDefinition(id = PID, name = "${artifactId} provider")
    public @interface Config {
        @AttributeDefinition(description = "The service the tokens are for.")
        String service_name() default "${service}";

        @AttributeDefinition(description = "How long each token is valid: " + Durations.SYNTAX + ".")
        String token_lifetime() default "1h";
    }

    /** A configuration that passed every check. */
    record Settings(String serviceName, Duration lifetime) {
        static Settings parse(ConfigValues values) {
            return new Settings(values.serviceName("service.name"), values.duration("token.lifetime"));
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ProviderComponent.class);

    public ProviderComponent() {
        super(new Configured<>(PID, Config.class, Settings::parse, LOG::error, LOG::warn));
    }

    @Override
    protected AutoCloseable start(Settings settings) {
        // Anything started here (threads, clients) must be stopped by the handle returned:
        // the host calls it on reconfiguration, on stop and before a plugin update.
        return register(DelegationTokenProvider.class,
                new TokenProvider(settings.serviceName(), settings.lifetime(), Clock.systemUTC()), null);
    }
}
