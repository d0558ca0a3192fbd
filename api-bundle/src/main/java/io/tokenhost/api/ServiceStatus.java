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
 * @param fromPreviousRevision the tokens held were obtained by the previous revision of the
 *     provider's plugin (before a bundle update), not yet by this provider; since 1.3
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
        int tokenBytes,
        boolean fromPreviousRevision) {

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

    /** A status whose tokens, if any, this provider obtained itself (the constructor of 1.2). */
    public ServiceStatus(String serviceName, String origin, State state, boolean enabled, Optional<Instant> lastObtain,
            Optional<Instant> validUntil, Optional<Instant> nextObtain, int consecutiveFailures,
            Optional<String> lastError, Optional<String> fingerprint, int tokenBytes) {
        this(serviceName, origin, state, enabled, lastObtain, validUntil, nextObtain, consecutiveFailures, lastError,
                fingerprint, tokenBytes, false);
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
        DUPLICATE,
        /**
         * Its provider left as its bundle stopped, e.g. for an update; its tokens stay until a
         * provider of the same plugin (bundle symbolic name) takes them over, the plugin is
         * uninstalled, the manager's {@code update.grace} ends, or they expire. Since 1.3.
         */
        HANDING_OVER
    }
}
