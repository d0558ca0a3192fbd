package io.tokenhost.example.provider;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.ObtainedTokens;
import io.tokenhost.api.ServiceNames;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * The smallest useful provider: every obtain returns 32 fresh random bytes, valid for a
 * configurable lifetime. A real provider would authenticate here and ask its service for tokens.
 *
 * <p>Configuration PID {@code io.tokenhost.example.provider} (optional): {@code service.name}
 * (default {@code example}) and {@code token.lifetime} (default {@code 1h}).
 */
@Component(configurationPid = "io.tokenhost.example.provider",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class ExampleProvider implements DelegationTokenProvider {

    /** Configuration keys: DS maps {@code service_name} to {@code service.name}. */
    public @interface Config {
        String service_name() default "example";

        String token_lifetime() default "1h";
    }

    private static final int TOKEN_BYTES = 32;

    private final SecureRandom random = new SecureRandom();
    private final String serviceName;
    private final Duration lifetime;
    private final Clock clock;

    @Activate
    public ExampleProvider(Config config) {
        this(config.service_name(), Durations.parse("token.lifetime", config.token_lifetime()),
                Clock.systemUTC());
    }

    ExampleProvider(String serviceName, Duration lifetime, Clock clock) {
        this.serviceName = ServiceNames.validate(serviceName);
        this.lifetime = lifetime;
        this.clock = clock;
    }

    @Override
    public String serviceName() {
        return serviceName;
    }

    @Override
    public ObtainedTokens obtainDelegationTokens() {
        byte[] tokens = new byte[TOKEN_BYTES];
        random.nextBytes(tokens);
        return ObtainedTokens.of(tokens, clock.instant().plus(lifetime));
    }
}
