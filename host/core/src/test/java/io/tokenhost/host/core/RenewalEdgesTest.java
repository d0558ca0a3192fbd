package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.ObtainedTokens;
import io.tokenhost.api.distribution.TokenContainer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The renewal rules exactly at their edges (boundary mutants PIT found alive). */
class RenewalEdgesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static RenewalSettings settings(Duration backoff, Duration maxWaitWithoutTokens) {
        return new RenewalSettings(0.75, backoff, Duration.ofMinutes(10), 0.2, Duration.ofHours(1), Duration.ofSeconds(30),
                Duration.ofSeconds(1), maxWaitWithoutTokens);
    }

    /** A backoff exactly at the cap without tokens is the backoff itself: not capped, so it still doubles next time. */
    @Test
    void aBackoffEqualToTheWaitWithoutTokensIsNotCapped() {
        RenewalPolicy policy = new RenewalPolicy(settings(Duration.ofSeconds(15), Duration.ofSeconds(15)), () -> 0.5);

        RenewalPolicy.Retry retry = policy.nextRetryAfterFailure(NOW, 0, false, Optional.empty());

        assertThat(retry.at()).isEqualTo(NOW.plusSeconds(15));
        assertThat(retry.raisesBackoff()).isTrue();
    }

    /** A backoff exactly half the remaining validity is the backoff itself: not capped either. */
    @Test
    void aBackoffEqualToHalfTheRemainingValidityIsNotCapped() {
        RenewalPolicy policy = new RenewalPolicy(settings(Duration.ofSeconds(30), Duration.ofSeconds(15)), () -> 0.5);

        RenewalPolicy.Retry retry = policy.nextRetryAfterFailure(NOW, 0, true, Optional.of(NOW.plusSeconds(60)));

        assertThat(retry.at()).isEqualTo(NOW.plusSeconds(30));
        assertThat(retry.raisesBackoff()).isTrue();
    }

    @Test
    void settingsRefuseRatiosAndJittersOutsideTheirRanges() {
        assertThatThrownBy(() -> new RenewalSettings(0, Duration.ofSeconds(1), Duration.ofSeconds(1), 0.2,
                Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessage("timeRatio must be in (0, 1), got 0.0");
        assertThatThrownBy(() -> new RenewalSettings(1, Duration.ofSeconds(1), Duration.ofSeconds(1), 0.2,
                Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessage("timeRatio must be in (0, 1), got 1.0");
        assertThat(new RenewalSettings(0.5, Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ofHours(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)).retryJitter()).isZero();
        assertThatThrownBy(() -> new RenewalSettings(0.5, Duration.ofSeconds(1), Duration.ofSeconds(1), 1,
                Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessage("retryJitter must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> new RenewalSettings(0.5, Duration.ofSeconds(1), Duration.ofSeconds(1), -0.1,
                Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessage("retryJitter must be in [0, 1), got -0.1");
    }

    /** Exactly 1 MiB of tokens is accepted; a valid-until past what a container can carry is refused. */
    @Test
    void anObtainOfExactlyTheMaximumSizeIsUsableAndOneBeyondTheLastValidUntilIsNot() {
        ObtainOutcome largest = ObtainOutcome.obtained(ObtainedTokens.of(new byte[TokenContainer.MAX_TOKEN_BYTES],
                NOW.plusSeconds(60)));
        assertThat(largest.problemAt(NOW)).isEmpty();

        ObtainOutcome tooLate = ObtainOutcome.obtained(ObtainedTokens.of(new byte[1], Instant.MAX));
        assertThat(tooLate.problemAt(NOW)).hasValueSatisfying(problem -> assertThat(problem)
                .startsWith("the provider returned tokens valid until " + Instant.MAX)
                .endsWith("later than a container can carry (" + TokenContainer.MAX_VALID_UNTIL + ")"));
    }
}
