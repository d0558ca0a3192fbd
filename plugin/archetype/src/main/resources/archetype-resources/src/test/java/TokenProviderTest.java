package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tokenhost.api.ObtainedTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The provider alone, without a host: a unit test. */
class TokenProviderTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void eachObtainGivesFreshTokensValidForTheLifetime() throws Exception {
        TokenProvider provider = new TokenProvider("${service}", Duration.ofMinutes(10), Clock.fixed(NOW, ZoneOffset.UTC));

        ObtainedTokens first = provider.obtainDelegationTokens();
        ObtainedTokens second = provider.obtainDelegationTokens();

        assertEquals(Optional.of(NOW.plus(Duration.ofMinutes(10))), first.validUntil());
        assertFalse(Arrays.equals(first.tokens(), second.tokens()));
    }
}
