package io.tokenhost.api.telemetry;

import java.time.Duration;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of what happens to tokens, as it happens. Register one as an OSGi service (whiteboard): the
 * host's token manager and its remote bundle call every registered one. Calls come from the host's
 * own threads, sometimes while it holds a lock: an implementation must return quickly, never block
 * and never call back into the host. What it throws is caught and ignored.
 *
 * @since 1.0
 */
@ConsumerType
public interface TokenEvents {

    /** An obtain of one provider service ended (not one that was called off). */
    default void obtainEnded(ObtainRecord record) {
    }

    /** One receiver was handed tokens, or a withdrawal, and accepted or threw. */
    default void delivered(DeliveryRecord record) {
    }

    /** A service's tokens were taken out of the container (left, disabled, expired). */
    default void withdrawn(String service, long containerVersion) {
    }

    /** A manager pushed a container version to its connected workers. */
    default void containerPushed(long version, int workers) {
    }

    /**
     * Every worker connected at the push acknowledged a version (or a newer one), this long after
     * the push; reported once per version, not per worker.
     */
    default void containerAcknowledged(long version, int workers, Duration sincePush) {
    }
}
