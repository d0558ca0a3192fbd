package io.tokenhost.example.provider;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.ObtainedTokens;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * The smallest useful provider: every obtain returns 32 fresh random bytes, valid for a fixed
 * lifetime. A real provider would authenticate here and ask its service for tokens.
 * {@link ExampleProviderComponent} creates and registers it from an accepted configuration.
 */
public final class ExampleProvider implements DelegationTokenProvider {

    private static final int TOKEN_BYTES = 32;

    private final SecureRandom random = new SecureRandom();
    private final String serviceName;
    private final Duration lifetime;
    private final Clock clock;

    public ExampleProvider(String serviceName, Duration lifetime, Clock clock) {
        this.serviceName = serviceName;
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
