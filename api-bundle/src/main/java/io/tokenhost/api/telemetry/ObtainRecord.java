package io.tokenhost.api.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How one obtain ended. Never carries token bytes.
 *
 * @param service the provider's service name
 * @param result how it ended
 * @param duration how long it ran (until its timeout, for one that timed out)
 * @param fingerprint short hash of the tokens obtained; empty unless it succeeded
 * @param validUntil until when the tokens obtained are valid, if the provider said
 * @param consecutiveFailures failed obtains in a row after it, 0 after a success
 * @since 1.0
 */
public record ObtainRecord(String service, Result result, Duration duration, Optional<String> fingerprint,
        Optional<Instant> validUntil, int consecutiveFailures) {

    public ObtainRecord {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(validUntil, "validUntil");
    }

    /** How an obtain ended. */
    public enum Result {
        /** Tokens obtained and put in the container. */
        SUCCESS,
        /** The provider threw, returned unusable tokens, or ran past its timeout. */
        FAILURE,
        /** The provider said no tokens are required now. */
        NOT_REQUIRED
    }
}
