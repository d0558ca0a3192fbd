package io.tokenhost.host.core;

import java.time.Duration;
import java.util.Objects;

/**
 * When to re-obtain tokens. See {@link RenewalPolicy} for how each value is used.
 *
 * @param timeRatio fraction of the remaining validity after which tokens are re-obtained, in (0, 1)
 * @param retryBackoff wait after the first failed obtain; doubled after each further failure whose
 *     wait was this exponential backoff (not a cap)
 * @param retryBackoffMax the most a retry waits
 * @param retryJitter random spread of a retry's wait, as a fraction in [0, 1)
 * @param fallbackPeriod re-obtain period for tokens whose provider gives no valid-until
 * @param obtainTimeout how long one obtain may run before it counts as failed and is interrupted
 * @param minInterval the least time between two obtains of one provider, against tight loops
 * @param maxWaitWithoutTokens the most a retry waits while the service holds no valid tokens (none
 *     obtained yet, expired or withdrawn), so that it gets tokens soon after its token service is
 *     back
 */
public record RenewalSettings(
        double timeRatio,
        Duration retryBackoff,
        Duration retryBackoffMax,
        double retryJitter,
        Duration fallbackPeriod,
        Duration obtainTimeout,
        Duration minInterval,
        Duration maxWaitWithoutTokens) {

    public static final RenewalSettings DEFAULTS = new RenewalSettings(
            0.75, Duration.ofSeconds(30), Duration.ofMinutes(10), 0.2, Duration.ofHours(1),
            Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(15));

    public RenewalSettings {
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(retryBackoffMax, "retryBackoffMax");
        Objects.requireNonNull(fallbackPeriod, "fallbackPeriod");
        Objects.requireNonNull(obtainTimeout, "obtainTimeout");
        Objects.requireNonNull(minInterval, "minInterval");
        Objects.requireNonNull(maxWaitWithoutTokens, "maxWaitWithoutTokens");
        if (!(timeRatio > 0 && timeRatio < 1)) {
            throw new IllegalArgumentException("timeRatio must be in (0, 1), got " + timeRatio);
        }
        if (!(retryJitter >= 0 && retryJitter < 1)) {
            throw new IllegalArgumentException("retryJitter must be in [0, 1), got " + retryJitter);
        }
        if (maxWaitWithoutTokens.isNegative() || maxWaitWithoutTokens.isZero()) {
            throw new IllegalArgumentException("maxWaitWithoutTokens must be more than 0, got " + maxWaitWithoutTokens);
        }
    }

    /** These settings with another {@link #maxWaitWithoutTokens}, e.g. one provider's own. */
    public RenewalSettings withMaxWaitWithoutTokens(Duration maxWait) {
        return new RenewalSettings(timeRatio, retryBackoff, retryBackoffMax, retryJitter, fallbackPeriod, obtainTimeout,
                minInterval, maxWait);
    }
}
