package io.tokenhost.host.core;

import java.time.Instant;
import java.util.Optional;

/**
 * On a worker, one service whose tokens came from the manager, as {@code token:status} shows it.
 * Never carries token bytes.
 *
 * @param service the service name
 * @param state whether its tokens are in force or expired
 * @param containerVersion the version of the container they came in
 * @param received when that container was applied here
 * @param validUntil until when they are (or were) valid, if the manager's provider said
 * @param fingerprint short hash of the tokens in force; empty once they expired
 * @param tokenBytes size of the tokens in force; 0 once they expired
 */
public record ReceivedService(String service, State state, long containerVersion, Instant received,
        Optional<Instant> validUntil, Optional<String> fingerprint, int tokenBytes) {

    /** Whether a received service's tokens are in force. */
    public enum State {
        /** Delivered to the receivers and not expired (or with no valid-until). */
        VALID,
        /** Their valid-until passed before a newer container renewed them: withdrawn from the receivers. */
        EXPIRED
    }
}
