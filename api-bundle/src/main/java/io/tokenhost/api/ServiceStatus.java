package io.tokenhost.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of one provider service, as shown by {@code token:status}. Carries a short
 * fingerprint of the current tokens, never the tokens.
 *
 * @param serviceName the provider's service name
 * @param origin who registered the provider, e.g. a bundle's symbolic name and id
 * @param state what the manager is doing with it
 * @param enabled false when switched off by configuration
 * @param lastObtain when tokens were last obtained successfully
 * @param validUntil until when the current tokens are valid, if the provider said
 * @param nextObtain when the next obtain is scheduled
 * @param consecutiveFailures failed obtains since the last success
 * @param lastError the last failure's message, never containing token bytes
 * @param fingerprint short hash of the current tokens, to tell versions apart
 * @param tokenBytes size of the current tokens
 */
public record ServiceStatus(
        String serviceName,
        String origin,
        State state,
        boolean enabled,
        Optional<Instant> lastObtain,
        Optional<Instant> validUntil,
        Optional<Instant> nextObtain,
        int consecutiveFailures,
        Optional<String> lastError,
        Optional<String> fingerprint,
        int tokenBytes) {

    public ServiceStatus {
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastObtain, "lastObtain");
        Objects.requireNonNull(validUntil, "validUntil");
        Objects.requireNonNull(nextObtain, "nextObtain");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /** What the manager is doing with one provider service. */
    public enum State {
        /** Not obtained yet (just appeared, or obtaining now for the first time). */
        PENDING,
        /** Holds tokens; the last obtain succeeded. */
        VALID,
        /** The last obtain failed; earlier tokens, if any, are still held until they expire. */
        FAILING,
        /** The provider said tokens are not required now. */
        NOT_REQUIRED,
        /** Switched off by configuration; its tokens are withdrawn. */
        DISABLED,
        /** Another provider already serves this name; this one is ignored. */
        DUPLICATE
    }
}
