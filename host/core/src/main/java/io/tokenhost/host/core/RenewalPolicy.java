package io.tokenhost.host.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Pure timing rules (Flink FLIP-272 and Spark, with their gaps fixed):
 *
 * <ul>
 *   <li>after a success, the next obtain is at {@code now + timeRatio × (validUntil − now)};
 *   <li>a provider that gives no valid-until is re-obtained every {@code fallbackPeriod} (Flink and
 *       Spark never renew such tokens again);
 *   <li>after the n-th consecutive failure, retry after {@code retryBackoff × 2^(n−1)}, at most
 *       {@code retryBackoffMax}, spread by ± {@code retryJitter}; while tokens are still valid the
 *       wait is capped at half their remaining validity, so retries keep coming before they expire;
 *   <li>no wait is ever shorter than {@code minInterval}.
 * </ul>
 */
public final class RenewalPolicy {

    private final RenewalSettings settings;
    private final DoubleSupplier random;

    /** @param random uniform in [0, 1), for the jitter */
    public RenewalPolicy(RenewalSettings settings, DoubleSupplier random) {
        this.settings = settings;
        this.random = random;
    }

    public Instant nextObtainAfterSuccess(Instant now, Optional<Instant> validUntil) {
        Duration wait = validUntil
                .map(until -> scale(Duration.between(now, until), settings.timeRatio()))
                .orElse(settings.fallbackPeriod());
        return now.plus(atLeastMinimum(wait));
    }

    public Instant nextRetryAfterFailure(Instant now, int consecutiveFailures, Optional<Instant> validUntil) {
        Duration backoff = exponentialBackoff(consecutiveFailures);
        double spread = settings.retryJitter() * (2 * random.getAsDouble() - 1);
        Duration wait = scale(backoff, 1 + spread);
        if (validUntil.isPresent() && validUntil.get().isAfter(now)) {
            Duration halfRemaining = Duration.between(now, validUntil.get()).dividedBy(2);
            if (wait.compareTo(halfRemaining) > 0) {
                wait = halfRemaining;
            }
        }
        return now.plus(atLeastMinimum(wait));
    }

    private Duration exponentialBackoff(int consecutiveFailures) {
        Duration backoff = settings.retryBackoff();
        for (int i = 1; i < consecutiveFailures && backoff.compareTo(settings.retryBackoffMax()) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(settings.retryBackoffMax()) > 0 ? settings.retryBackoffMax() : backoff;
    }

    private Duration atLeastMinimum(Duration wait) {
        return wait.compareTo(settings.minInterval()) < 0 ? settings.minInterval() : wait;
    }

    private static Duration scale(Duration duration, double factor) {
        if (duration.isNegative()) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) (Math.min(duration.toNanos(), Long.MAX_VALUE / 2) * factor));
    }
}
