package ${package};

import com.google.common.io.BaseEncoding;
import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.ObtainedTokens;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * Obtains the tokens of service '${service}'. This one makes random ones; a real provider
 * authenticates here (with credentials it read from a file, never from DS configuration) and asks
 * its service, letting a blocking call end when the thread is interrupted (the obtain timeout).
 * Exception messages are shown to operators: never put a secret in one.
 */
public final class TokenProvider implements DelegationTokenProvider {

    private final SecureRandom random = new SecureRandom();
    private final String serviceName;
    private final Duration lifetime;
    private final Clock clock;

    public TokenProvider(String serviceName, Duration lifetime, Clock clock) {
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
        byte[] secret = new byte[24];
        random.nextBytes(secret);
        // Guava, embedded in this bundle (see pom.xml), as an example of a private library.
        byte[] tokens = BaseEncoding.base16().lowerCase().encode(secret).getBytes(StandardCharsets.US_ASCII);
        return ObtainedTokens.of(tokens, clock.instant().plus(lifetime));
    }
}
