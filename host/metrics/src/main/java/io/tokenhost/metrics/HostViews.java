package io.tokenhost.metrics;

import io.tokenhost.api.TokenStatusView;
import io.tokenhost.api.telemetry.ManagerTelemetry;
import io.tokenhost.api.telemetry.RemoteRole;
import io.tokenhost.api.telemetry.WorkerTelemetry;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The host's read-only views as they come and go: the token manager's status, and the remote role
 * if one runs. Metrics callbacks and health checks read them at request time. Thread-safe.
 */
final class HostViews {

    private volatile TokenStatusView status;
    private volatile RemoteRole role;
    /** Counter services ({@code tokenhost.counters=<source>}) by source. */
    private final Map<String, Supplier<Map<String, Long>>> counters = new ConcurrentHashMap<>();

    void status(TokenStatusView view) {
        this.status = view;
    }

    void role(RemoteRole view) {
        this.role = view;
    }

    void counters(String source, Supplier<Map<String, Long>> supplier) {
        counters.put(source, supplier);
    }

    void noCounters(String source, Supplier<Map<String, Long>> supplier) {
        counters.remove(source, supplier);
    }

    /** Every counter service's counts now, by source; one that throws is left out. */
    Map<String, Map<String, Long>> counters() {
        Map<String, Map<String, Long>> all = new TreeMap<>();
        counters.forEach((source, supplier) -> {
            try {
                all.put(source, supplier.get());
            } catch (RuntimeException e) {
                // a bundle going away: its counters are gone with it
            }
        });
        return all;
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
