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
 *   <li>after a failure, retry after the exponential backoff {@code retryBackoff × 2^backoffExponent},
 *       at most {@code retryBackoffMax}, spread by ± {@code retryJitter}, then capped: while valid
 *       tokens are held, at half their remaining validity, so retries keep coming before they expire;
 *       while none are held (none obtained yet, expired, withdrawn), at {@code maxWaitWithoutTokens},
 *       so the service gets tokens soon after its token service is back (a wait cut to that cap is
 *       spread by the jitter below it, never above, so providers that lost their tokens together do
 *       not retry in step);
 *   <li>the caller raises the exponent only after a failure whose wait was the exponential backoff
 *       itself ({@link Retry#raisesBackoff()}): failures retried sooner because of a cap do not make
 *       the retries that come once the cap no longer applies any longer (with 10 s tokens, four
 *       quick capped retries used to turn the next wait into 30 s × 2³);
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

    /**
     * When to retry after a failed obtain.
     *
     * @param raisesBackoff true if the wait was the exponential backoff, not cut short by a cap: only
     *     then is the next failure's backoff doubled
     */
    public record Retry(Instant at, boolean raisesBackoff) {
    }

    public Instant nextObtainAfterSuccess(Instant now, Optional<Instant> validUntil) {
        Duration wait = validUntil
                .map(until -> scale(Duration.between(now, until), settings.timeRatio()))
                .orElse(settings.fallbackPeriod());
        return now.plus(atLeastMinimum(wait));
    }

    /**
     * @param backoffExponent how many earlier failures in a row {@linkplain Retry#raisesBackoff()
     *     raised the backoff}
     * @param holdsTokens whether the service holds tokens (which may have expired a moment ago)
     * @param validUntil when the tokens held expire; empty if none are held or they have no expiry
     */
    public Retry nextRetryAfterFailure(Instant now, int backoffExponent, boolean holdsTokens,
            Optional<Instant> validUntil) {
        double jitter = settings.retryJitter();
        double draw = random.getAsDouble();
        Duration wait = scale(exponentialBackoff(backoffExponent), 1 + jitter * (2 * draw - 1));
        boolean validTokens = holdsTokens && validUntil.map(now::isBefore).orElse(true);
        boolean capped = false;
        if (!validTokens) {
            Duration maxWait = settings.maxWaitWithoutTokens();
            if (wait.compareTo(maxWait) > 0) {
                wait = scale(maxWait, 1 - jitter * (1 - draw)); // spread below the cap, never above
                capped = true;
            }
        } else if (validUntil.isPresent()) {
            Duration halfRemaining = Duration.between(now, validUntil.get()).dividedBy(2);
            if (wait.compareTo(halfRemaining) > 0) {
                wait = halfRemaining;
                capped = true;
            }
        }
        return new Retry(now.plus(atLeastMinimum(wait)), !capped);
    }

    private Duration exponentialBackoff(int exponent) {
        Duration backoff = settings.retryBackoff();
        for (int i = 0; i < exponent && backoff.compareTo(settings.retryBackoffMax()) < 0; i++) {
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
