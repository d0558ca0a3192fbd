package io.tokenhost.remote.telemetry;

import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.telemetry.WorkerTelemetry;
import io.tokenhost.remote.worker.ManagerLinkStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Stands between a worker's link and the host's sink: remembers when the last container was applied
 * and each of its services' valid-until (never the bytes), and answers {@link WorkerTelemetry}.
 */
public final class WorkerWatch implements WorkerTelemetry {

    private final Clock clock;
    private final Consumer<TokenContainer> sink;
    private volatile Supplier<ManagerLinkStatus> link = () -> null;
    private volatile Instant lastContainer;
    private volatile Map<String, Optional<Instant>> services = Map.of();

    public WorkerWatch(Clock clock, Consumer<TokenContainer> sink) {
        this.clock = clock;
        this.sink = sink;
    }

    /** Where {@link #connected()} asks, once the worker client exists. */
    public void linkStatus(Supplier<ManagerLinkStatus> status) {
        this.link = status;
    }

    /** Passes a container on to the host's sink and records it. */
    public void accept(TokenContainer container) {
        sink.accept(container);
        Map<String, Optional<Instant>> now = new TreeMap<>();
        container.services().forEach(service -> now.put(service, container.validUntil(service)));
        services = Map.copyOf(now);
        lastContainer = clock.instant();
    }

    @Override
    public String role() {
        return "worker";
    }

    @Override
    public boolean connected() {
        ManagerLinkStatus status = link.get();
        return status != null && status.connected();
    }

    @Override
    public Optional<Instant> lastContainer() {
        return Optional.ofNullable(lastContainer);
    }

    @Override
    public Map<String, Optional<Instant>> services() {
        return services;
    }
}
