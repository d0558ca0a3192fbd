package io.tokenhost.host.core;

import java.time.Duration;
import java.util.Objects;

/**
 * When to re-obtain tokens. See {@link RenewalPolicy} for how each value is used.
 *
 * @param timeRatio fraction of the remaining validity after which tokens are re-obtained, in (0, 1)
 * @param retryBackoff wait after the first failed obtain; doubled after each further failure
 * @param retryBackoffMax the most a retry waits
 * @param retryJitter random spread of a retry's wait, as a fraction in [0, 1)
 * @param fallbackPeriod re-obtain period for tokens whose provider gives no valid-until
 * @param obtainTimeout how long one obtain may run before it counts as failed and is interrupted
 * @param minInterval the least time between two obtains of one provider, against tight loops
 */
public record RenewalSettings(
        double timeRatio,
        Duration retryBackoff,
        Duration retryBackoffMax,
        double retryJitter,
        Duration fallbackPeriod,
        Duration obtainTimeout,
        Duration minInterval) {

    public static final RenewalSettings DEFAULTS = new RenewalSettings(
            0.75, Duration.ofSeconds(30), Duration.ofMinutes(10), 0.2, Duration.ofHours(1),
            Duration.ofSeconds(30), Duration.ofSeconds(1));

    public RenewalSettings {
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(retryBackoffMax, "retryBackoffMax");
        Objects.requireNonNull(fallbackPeriod, "fallbackPeriod");
        Objects.requireNonNull(obtainTimeout, "obtainTimeout");
        Objects.requireNonNull(minInterval, "minInterval");
        if (!(timeRatio > 0 && timeRatio < 1)) {
            throw new IllegalArgumentException("timeRatio must be in (0, 1), got " + timeRatio);
        }
        if (!(retryJitter >= 0 && retryJitter < 1)) {
            throw new IllegalArgumentException("retryJitter must be in [0, 1), got " + retryJitter);
        }
    }
}
