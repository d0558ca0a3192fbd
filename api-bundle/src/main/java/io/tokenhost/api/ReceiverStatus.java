package io.tokenhost.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one receiver has been given, as shown by {@code token:receivers}.
 *
 * @param serviceName the service the receiver listens to
 * @param origin who registered the receiver, e.g. a bundle's symbolic name and id
 * @param deliveredVersion the container version of the last successful delivery, 0 if none
 * @param lastDelivery when it last accepted tokens
 * @param fingerprint short hash of the tokens it last accepted
 * @param failures deliveries it threw on
 * @param lastError the last failure's message
 */
public record ReceiverStatus(
        String serviceName,
        String origin,
        long deliveredVersion,
        Optional<Instant> lastDelivery,
        Optional<String> fingerprint,
        long failures,
        Optional<String> lastError) {

    public ReceiverStatus {
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(lastDelivery, "lastDelivery");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(lastError, "lastError");
    }
}
