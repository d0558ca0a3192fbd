package io.tokenhost.metrics;

import io.tokenhost.api.TokenStatusView;
import io.tokenhost.api.telemetry.ManagerTelemetry;
import io.tokenhost.api.telemetry.RemoteRole;
import io.tokenhost.api.telemetry.WorkerTelemetry;
import java.util.Optional;

/**
 * The host's read-only views as they come and go: the token manager's status, and the remote role
 * if one runs. Metrics callbacks and health checks read them at request time. Thread-safe.
 */
final class HostViews {

    private volatile TokenStatusView status;
    private volatile RemoteRole role;

    void status(TokenStatusView view) {
        this.status = view;
    }

    void role(RemoteRole view) {
        this.role = view;
    }

    Optional<TokenStatusView> status() {
        return Optional.ofNullable(status);
    }

    /** {@code standalone} when no remote role runs. */
    String roleName() {
        RemoteRole r = role;
        return r == null ? "standalone" : r.role();
    }

    boolean standby() {
        RemoteRole r = role;
        return r != null && r.standby();
    }

    Optional<ManagerTelemetry> manager() {
        return role instanceof ManagerTelemetry m ? Optional.of(m) : Optional.empty();
    }

    Optional<WorkerTelemetry> worker() {
        return role instanceof WorkerTelemetry w ? Optional.of(w) : Optional.empty();
    }

    /** Whether this host obtains tokens itself: standalone, a manager, or (with HA) the leader. */
    boolean obtains() {
        return worker().isEmpty() && !standby();
    }
}
