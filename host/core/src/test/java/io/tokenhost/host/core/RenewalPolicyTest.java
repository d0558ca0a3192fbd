package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.host.core.RenewalPolicy.Retry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RenewalPolicyTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final boolean HELD = true;
    private static final boolean NONE_HELD = false;
    private static final Optional<Instant> NO_EXPIRY = Optional.empty();

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
        assertThat(exact.nextRetryAfterFailure(NOW, 0, HELD, Optional.of(NOW.plusMillis(100))).at())
                .isEqualTo(NOW.plusSeconds(1));
    }

    @Test
    void retriesWithValidTokensDoubleUpToTheMaximum() {
        // tokens without expiry: valid, and no cap
        assertThat(exact.nextRetryAfterFailure(NOW, 0, HELD, NO_EXPIRY)).isEqualTo(new Retry(NOW.plusSeconds(30), true));
        assertThat(exact.nextRetryAfterFailure(NOW, 1, HELD, NO_EXPIRY).at()).isEqualTo(NOW.plusSeconds(60));
        assertThat(exact.nextRetryAfterFailure(NOW, 4, HELD, NO_EXPIRY).at()).isEqualTo(NOW.plusSeconds(480));
        assertThat(exact.nextRetryAfterFailure(NOW, 5, HELD, NO_EXPIRY).at()).isEqualTo(NOW.plusSeconds(600));
        assertThat(exact.nextRetryAfterFailure(NOW, 999, HELD, NO_EXPIRY)).isEqualTo(new Retry(NOW.plusSeconds(600), true));
    }

    @Test
    void jitterSpreadsRetriesWithinItsFraction() {
        RenewalPolicy low = new RenewalPolicy(RenewalSettings.DEFAULTS, () -> 0.0);
        RenewalPolicy high = new RenewalPolicy(RenewalSettings.DEFAULTS, () -> 0.999999);
        assertThat(low.nextRetryAfterFailure(NOW, 0, HELD, NO_EXPIRY).at()).isEqualTo(NOW.plusSeconds(24));
        assertThat(high.nextRetryAfterFailure(NOW, 0, HELD, NO_EXPIRY).at())
                .isBetween(NOW.plusMillis(35_999), NOW.plusSeconds(36));
    }

    @Test
    void retriesWhileTokensAreValidWaitAtMostHalfTheirRemainingValidityAndThatWaitDoesNotRaiseTheBackoff() {
        Optional<Instant> in100s = Optional.of(NOW.plusSeconds(100));
        assertThat(exact.nextRetryAfterFailure(NOW, 3, HELD, in100s)).isEqualTo(new Retry(NOW.plusSeconds(50), false));
        assertThat(exact.nextRetryAfterFailure(NOW, 0, HELD, in100s)).isEqualTo(new Retry(NOW.plusSeconds(30), true));
    }

    @Test
    void retriesWithoutValidTokensWaitAtMostTheNoTokenCapSpreadBelowItAndThatWaitDoesNotRaiseTheBackoff() {
        // default cap 15 s; the jitter (0.2) spreads a capped wait over [12 s, 15 s]
        Retry none = new Retry(NOW.plusMillis(13_500), false);
        assertThat(exact.nextRetryAfterFailure(NOW, 0, NONE_HELD, NO_EXPIRY)).isEqualTo(none);
        assertThat(exact.nextRetryAfterFailure(NOW, 20, NONE_HELD, NO_EXPIRY)).isEqualTo(none);
        // tokens held that expired a moment ago (their expiry not yet handled) are not valid
        assertThat(exact.nextRetryAfterFailure(NOW, 3, HELD, Optional.of(NOW.minusSeconds(5)))).isEqualTo(none);
        assertThat(exact.nextRetryAfterFailure(NOW, 3, HELD, Optional.of(NOW))).isEqualTo(none);

        RenewalPolicy low = new RenewalPolicy(RenewalSettings.DEFAULTS, () -> 0.0);
        RenewalPolicy high = new RenewalPolicy(RenewalSettings.DEFAULTS, () -> 0.999999);
        assertThat(low.nextRetryAfterFailure(NOW, 9, NONE_HELD, NO_EXPIRY).at()).isEqualTo(NOW.plusSeconds(12));
        assertThat(high.nextRetryAfterFailure(NOW, 9, NONE_HELD, NO_EXPIRY).at())
                .isBetween(NOW.plusMillis(14_999), NOW.plusSeconds(15));
    }

    @Test
    void withoutValidTokensABackoffBelowTheCapIsUsedAndRaised() {
        RenewalPolicy longCap = new RenewalPolicy(
                RenewalSettings.DEFAULTS.withMaxWaitWithoutTokens(Duration.ofMinutes(5)), () -> 0.5);
        assertThat(longCap.nextRetryAfterFailure(NOW, 0, NONE_HELD, NO_EXPIRY))
                .isEqualTo(new Retry(NOW.plusSeconds(30), true));
        assertThat(longCap.nextRetryAfterFailure(NOW, 3, NONE_HELD, NO_EXPIRY))
                .isEqualTo(new Retry(NOW.plusSeconds(240), true));
        assertThat(longCap.nextRetryAfterFailure(NOW, 4, NONE_HELD, NO_EXPIRY))
                .isEqualTo(new Retry(NOW.plusSeconds(270), false)); // 480 s cut to 300 s × (1 − 0.2 × 0.5)
    }

    @Test
    void theMinimumIntervalWinsOverTheNoTokenCap() {
        RenewalSettings settings = new RenewalSettings(0.75, Duration.ofSeconds(30), Duration.ofMinutes(10), 0,
                Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(2));
        assertThat(new RenewalPolicy(settings, () -> 0.5).nextRetryAfterFailure(NOW, 0, NONE_HELD, NO_EXPIRY).at())
                .isEqualTo(NOW.plusSeconds(5));
    }
}
