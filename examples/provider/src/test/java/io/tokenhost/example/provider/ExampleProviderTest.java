package io.tokenhost.example.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.ObtainedTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ExampleProviderTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void everyObtainReturnsFreshRandomTokensValidForTheLifetime() {
        ExampleProvider provider = new ExampleProvider("example", Duration.ofMinutes(5), clock);

        ObtainedTokens first = provider.obtainDelegationTokens();
        ObtainedTokens second = provider.obtainDelegationTokens();

        assertThat(provider.serviceName()).isEqualTo("example");
        assertThat(first.size()).isEqualTo(32);
        assertThat(first.tokens()).isNotEqualTo(second.tokens());
        assertThat(first.validUntil()).contains(NOW.plus(Duration.ofMinutes(5)));
    }

    @Test
    void refusesAnInvalidServiceName() {
        assertThatThrownBy(() -> new ExampleProvider("no spaces", Duration.ofHours(1), clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid service name");
    }

    @Test
    void parsesShortAndIsoDurations() {
        assertThat(Durations.parse("k", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("k", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("k", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("k", " 1h ")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("k", "PT1H30M")).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void refusesBadDurationsNamingTheKey() {
        for (String bad : new String[] {"", "1d", "-5m", "0s", "PT0S", "PT-1H", "h", "1 h", null}) {
            assertThatThrownBy(() -> Durations.parse("token.lifetime", bad))
                    .as("value %s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("token.lifetime: ");
        }
    }
}
