package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RenewalPolicyTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final RenewalPolicy exact = new RenewalPolicy(RenewalSettings.DEFAULTS, () -> 0.5);

    @Test
    void successSchedulesAtTheRatioOfRemainingValidity() {
        assertThat(exact.nextObtainAfterSuccess(NOW, Optional.of(NOW.plusSeconds(400))))
                .isEqualTo(NOW.plusSeconds(300));
    }

    @Test
    void successWithoutValidUntilUsesTheFallbackPeriod() {
        assertThat(exact.nextObtainAfterSuccess(NOW, Optional.empty())).isEqualTo(NOW.plus(Duration.ofHours(1)));
    }

    @Test
    void noWaitIsShorterThanTheMinimumInterval() {
        assertThat(exact.nextObtainAfterSuccess(NOW, Optional.of(NOW.plusMillis(100)))).isEqualTo(NOW.plusSeconds(1));
        assertThat(exact.nextObtainAfterSuccess(NOW, Optional.of(NOW.minusSeconds(100)))).isEqualTo(NOW.plusSeconds(1));
    }

    @Test
    void retriesDoubleUpToTheMaximum() {
        assertThat(exact.nextRetryAfterFailure(NOW, 1, Optional.empty())).isEqualTo(NOW.plusSeconds(30));
        assertThat(exact.nextRetryAfterFailure(NOW, 2, Optional.empty())).isEqualTo(NOW.plusSeconds(60));
        assertThat(exact.nextRetryAfterFailure(NOW, 5, Optional.empty())).isEqualTo(NOW.plusSeconds(480));
        assertThat(exact.nextRetryAfterFailure(NOW, 6, Optional.empty())).isEqualTo(NOW.plusSeconds(600));
        assertThat(exact.nextRetryAfterFailure(NOW, 1000, Optional.empty())).isEqualTo(NOW.plusSeconds(600));
    }

    @Test
    void jitterSpreadsRetriesWithinItsFraction() {
        RenewalPolicy low = new RenewalPolicy(RenewalSettings.DEFAULTS, () -> 0.0);
        RenewalPolicy high = new RenewalPolicy(RenewalSettings.DEFAULTS, () -> 0.999999);
        assertThat(low.nextRetryAfterFailure(NOW, 1, Optional.empty())).isEqualTo(NOW.plusSeconds(24));
        assertThat(high.nextRetryAfterFailure(NOW, 1, Optional.empty()))
                .isBetween(NOW.plusMillis(35_999), NOW.plusSeconds(36));
    }

    @Test
    void retriesWhileTokensAreValidWaitAtMostHalfTheirRemainingValidity() {
        assertThat(exact.nextRetryAfterFailure(NOW, 4, Optional.of(NOW.plusSeconds(100)))).isEqualTo(NOW.plusSeconds(50));
        assertThat(exact.nextRetryAfterFailure(NOW, 1, Optional.of(NOW.plusSeconds(100)))).isEqualTo(NOW.plusSeconds(30));
        // expired tokens do not cap the wait
        assertThat(exact.nextRetryAfterFailure(NOW, 2, Optional.of(NOW.minusSeconds(5)))).isEqualTo(NOW.plusSeconds(60));
    }
}
