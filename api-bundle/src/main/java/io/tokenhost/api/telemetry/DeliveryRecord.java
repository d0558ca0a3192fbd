package io.tokenhost.api.telemetry;

import java.util.Objects;
import java.util.Optional;

/**
 * One call of a receiver. Never carries token bytes.
 *
 * @param service the service the receiver listens to
 * @param receiver who registered the receiver (bundle symbolic name and id)
 * @param containerVersion the container version handed over
 * @param withdrawal true for a withdrawal ({@code onTokensWithdrawn}), false for new tokens
 * @param fingerprint short hash of the tokens handed over; empty for a withdrawal
 * @param error why the receiver failed; empty if it accepted
 * @since 1.0
 */
public record DeliveryRecord(String service, String receiver, long containerVersion, boolean withdrawal,
        Optional<String> fingerprint, Optional<String> error) {

    public DeliveryRecord {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(error, "error");
    }

    public boolean succeeded() {
        return error.isEmpty();
    }
}
