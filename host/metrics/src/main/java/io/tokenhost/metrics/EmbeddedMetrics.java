package io.tokenhost.metrics;

import io.tokenhost.api.TokenStatusView;
import io.tokenhost.api.telemetry.RemoteRole;
import io.tokenhost.api.telemetry.TokenEvents;
import java.io.IOException;
import java.time.Clock;

/**
 * The host's metrics and endpoint outside OSGi, for benchmarks and tests that run a manager in a
 * plain JVM: the same {@link HostMetrics} and {@link Endpoint} the bundle serves, over the views
 * given. Not exported by the bundle.
 */
public final class EmbeddedMetrics implements AutoCloseable {

    private final HostViews views = new HostViews();
    private final HostMetrics metrics;
    private Endpoint endpoint;

    public EmbeddedMetrics(TokenStatusView status, RemoteRole role) {
        views.status(status);
        views.role(role);
        metrics = new HostMetrics(views, PluginCounts.NONE, Clock.systemUTC());
    }

    /** The remote role whose figures to expose (a manager's watch, say), once it exists. */
    public void role(RemoteRole role) {
        views.role(role);
    }

    /** What to tell of obtains, deliveries, pushes and acknowledgements. */
    public TokenEvents events() {
        return metrics;
    }

    /** Serves /metrics, /live and /ready on plain HTTP; @return the port */
    public int serve(String host, int port) throws IOException {
        endpoint = Endpoint.start(host, port, null, false, metrics, views, Clock.systemUTC());
        return endpoint.port();
    }

    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.close();
        }
    }
}
