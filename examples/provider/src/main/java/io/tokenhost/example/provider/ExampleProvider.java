package io.tokenhost.example.provider;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationProblems;
import io.tokenhost.api.Configured;
import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.Durations;
import io.tokenhost.api.ObtainedTokens;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The smallest useful provider: every obtain returns 32 fresh random bytes, valid for a
 * configurable lifetime. A real provider would authenticate here and ask its service for tokens.
 * Its configuration follows the host's one reaction ({@link Configured}): a refused value is
 * logged and shown by {@code token:status}, and the previous settings stay in force.
 */
@Component(configurationPid = ExampleProvider.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ExampleProvider.Config.class)
public class ExampleProvider implements DelegationTokenProvider {

    static final String PID = "io.tokenhost.example.provider";

    /** The keys and their defaults, declared once. DS maps {@code service_name} to {@code service.name}. */
    @ObjectClassDefinition(id = PID, name = "Tokenhost example provider")
    public @interface Config {
        @AttributeDefinition(description = "The service the tokens are for; fixed while the provider runs.")
        String service_name() default "example";

        @AttributeDefinition(description = "How long each token is valid: " + Durations.SYNTAX + ".")
        String token_lifetime() default "1h";
    }

    /** A configuration that passed every check. */
    record Settings(String serviceName, Duration lifetime) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ExampleProvider.class);
    private static final int TOKEN_BYTES = 32;

    private final Configured<Settings> settings =
            new Configured<>(PID, Config.class, this::check, LOG::error, LOG::warn);
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    @Activate
    public ExampleProvider(Map<String, Object> properties, @Reference ConfigurationProblems problems) {
        this(properties, problems, Clock.systemUTC());
    }

    ExampleProvider(Map<String, ?> properties, ConfigurationProblems problems, Clock clock) {
        this.clock = clock;
        settings.reportTo(problems);
        settings.activate(properties); // refused: throws, and the provider does not start
    }

    @Modified
    void modified(Map<String, Object> properties) {
        settings.modify(properties); // refused: the previous settings stay in force
    }

    private Settings check(ConfigValues values) {
        String serviceName = values.serviceName("service.name");
        // The host reads a provider's service name once, when the provider appears.
        String running = settings.current().map(Settings::serviceName).orElse(serviceName);
        if (!running.equals(serviceName)) {
            throw values.refused("service.name",
                    "must stay '" + running + "' while the provider runs (restart its bundle to rename it)");
        }
        return new Settings(serviceName, values.duration("token.lifetime"));
    }

    @Override
    public String serviceName() {
        return settings.current().orElseThrow().serviceName();
    }

    @Override
    public ObtainedTokens obtainDelegationTokens() {
        byte[] tokens = new byte[TOKEN_BYTES];
        random.nextBytes(tokens);
        return ObtainedTokens.of(tokens, clock.instant().plus(settings.current().orElseThrow().lifetime()));
    }
}
