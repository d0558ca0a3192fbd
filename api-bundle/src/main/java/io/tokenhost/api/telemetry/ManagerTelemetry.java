package io.tokenhost.api.telemetry;

import java.time.Duration;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a running manager sees of its workers, in counts that do not grow with their number.
 *
 * @since 1.0
 */
@ProviderType
public interface ManagerTelemetry extends RemoteRole {

    /** Workers connected now. */
    int workersConnected();

    /** Connected workers whose acknowledged version is older than the current container's. */
    int workersBehind();

    /** How long the oldest container version not yet acknowledged by every connected worker has waited. */
    Optional<Duration> oldestUnacknowledged();
}
