package io.tokenhost.api.telemetry;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a running worker knows of its manager and of the tokens it received.
 *
 * @since 1.0
 */
@ProviderType
public interface WorkerTelemetry extends RemoteRole {

    /** Whether the worker is connected to its manager now. */
    boolean connected();

    /** When the last container was applied here (received, or restored at start). */
    Optional<Instant> lastContainer();

    /**
     * The services of the last container applied here, each with its valid-until if the manager's
     * provider gave one (empty: no expiry).
     */
    Map<String, Optional<Instant>> services();
}
