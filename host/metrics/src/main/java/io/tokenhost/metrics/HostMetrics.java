package io.tokenhost.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.TokenStatusView;
import io.tokenhost.api.telemetry.DeliveryRecord;
import io.tokenhost.api.telemetry.ManagerTelemetry;
import io.tokenhost.api.telemetry.ObtainRecord;
import io.tokenhost.api.telemetry.TokenEvents;
import io.tokenhost.api.telemetry.WorkerTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every Tokenhost metric, in one private {@link PrometheusRegistry}: counters and histograms fed by
 * {@link TokenEvents}, gauges read from the host's views at scrape time, and the client library's
 * standard JVM collectors. Labels are service names, results and states, never worker ids: no
 * label grows with the number of workers. The names are listed in docs/metrics.md.
 */
final class HostMetrics implements TokenEvents {

    private static final double[] OBTAIN_BUCKETS = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
    private static final double[] PUSH_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final HostViews views;
    private final PluginCounts plugins;
    private final Clock clock;

    private final Counter obtains;
    private final Histogram obtainDuration;
    private final Counter deliveries;
    private final Counter deliveryFailures;
    private final Counter withdrawals;
    private final Counter pushes;
    private final Histogram pushAcknowledged;

    HostMetrics(HostViews views, PluginCounts plugins, Clock clock) {
        this.views = views;
        this.plugins = plugins;
        this.clock = clock;
        obtains = Counter.builder().name("tokenhost_obtains_total").help("Obtains of a provider service, by result"
                + " (success, failure, not_required)").labelNames("service", "result").withoutExemplars()
                .register(registry);
        obtainDuration = Histogram.builder().name("tokenhost_obtain_duration_seconds").help("How long obtains ran")
                .labelNames("service").classicOnly().classicUpperBounds(OBTAIN_BUCKETS).withoutExemplars()
                .register(registry);
        deliveries = Counter.builder().name("tokenhost_receiver_deliveries_total").help("Calls of the receivers of a"
                + " service (new tokens or a withdrawal) that they accepted").labelNames("service").withoutExemplars()
                .register(registry);
        deliveryFailures = Counter.builder().name("tokenhost_receiver_delivery_failures_total").help("Calls of the"
                + " receivers of a service that threw").labelNames("service").withoutExemplars().register(registry);
        withdrawals = Counter.builder().name("tokenhost_withdrawals_total").help("Tokens of a service taken out of"
                + " the container (provider left or disabled, tokens expired)").labelNames("service")
                .withoutExemplars().register(registry);
        pushes = Counter.builder().name("tokenhost_manager_pushes_total").help("Container versions a manager pushed"
                + " to its workers").withoutExemplars().register(registry);
        pushAcknowledged = Histogram.builder().name("tokenhost_manager_push_acknowledged_seconds").help("From a"
                + " manager's push of a container version until every worker connected then acknowledged it")
                .classicOnly().classicUpperBounds(PUSH_BUCKETS).withoutExemplars().register(registry);
        CounterWithCallback.builder().name("tokenhost_refusals_total").help("Connections and requests the host"
                + " refused, since the refusing part started: source console (busy, idle-closed) or remote (the"
                + " manager's token:workers counters)").labelNames("source", "reason").callback(cb -> views.counters()
                        .forEach((source, counts) -> counts.forEach((name, count) -> cb.call(count, source,
                                reason(source, name))))).register(registry);
        serviceGauges();
        hostGauges();
        remoteGauges();
        JvmMetrics.builder().register(registry);
    }

    PrometheusRegistry registry() {
        return registry;
    }

    // ---- events

    @Override
    public void obtainEnded(ObtainRecord record) {
        // every result and the withdrawals of a service exist from its first obtain on, at 0: a
        // rate() or an alert over them sees a series from the start rather than none
        for (ObtainRecord.Result result : ObtainRecord.Result.values()) {
            obtains.labelValues(record.service(), result.name().toLowerCase(Locale.ROOT));
        }
        withdrawals.labelValues(record.service());
        obtains.labelValues(record.service(), record.result().name().toLowerCase(Locale.ROOT)).inc();
        obtainDuration.labelValues(record.service()).observe(seconds(record.duration()));
    }

    @Override
    public void delivered(DeliveryRecord record) {
        deliveries.labelValues(record.service());
        deliveryFailures.labelValues(record.service());
        (record.succeeded() ? deliveries : deliveryFailures).labelValues(record.service()).inc();
    }

    @Override
    public void withdrawn(String service, long containerVersion) {
        withdrawals.labelValues(service).inc();
    }

    @Override
    public void containerPushed(long version, int workers) {
        pushes.inc();
    }

    @Override
    public void containerAcknowledged(long version, int workers, Duration sincePush) {
        pushAcknowledged.observe(seconds(sincePush));
    }

    // ---- gauges read at scrape time

    private void serviceGauges() {
        GaugeWithCallback.builder().name("tokenhost_token_valid_until_seconds").help("Until when the tokens of a"
                + " service are valid, as a Unix timestamp; on a worker, as received from the manager. Absent when the"
                + " provider gives no expiry").labelNames("service").callback(cb -> validUntil().forEach(
                        (service, until) -> cb.call(epochSeconds(until), service))).register(registry);
        GaugeWithCallback.builder().name("tokenhost_next_obtain_timestamp_seconds").help("When the next obtain of a"
                + " service is planned, as a Unix timestamp").labelNames("service").callback(cb -> services().forEach(
                        s -> s.nextObtain().ifPresent(at -> cb.call(epochSeconds(at), s.serviceName()))))
                .register(registry);
        GaugeWithCallback.builder().name("tokenhost_consecutive_failures").help("Failed obtains of a service since its"
                + " last success").labelNames("service").callback(cb -> services().forEach(
                        s -> cb.call(s.consecutiveFailures(), s.serviceName()))).register(registry);
        GaugeWithCallback.builder().name("tokenhost_service_state").help("1 for the state a provider service is in"
                + " (token:status), 0 for the others").labelNames("service", "state").callback(cb -> services()
                        .forEach(s -> {
                            for (ServiceStatus.State state : ServiceStatus.State.values()) {
                                cb.call(s.state() == state ? 1 : 0, s.serviceName(), state.name().toLowerCase(Locale.ROOT));
                            }
                        })).register(registry);
    }

    private void hostGauges() {
        GaugeWithCallback.builder().name("tokenhost_container_version").help("The version of the current token"
                + " container").callback(cb -> views.status().ifPresent(s -> cb.call(s.containerVersion())))
                .register(registry);
        GaugeWithCallback.builder().name("tokenhost_plugins").help("Jars in plugins/ by the state of their bundle")
                .labelNames("state").callback(cb -> plugins.byState().forEach((state, n) -> cb.call(n, state)))
                .register(registry);
        GaugeWithCallback.builder().name("tokenhost_plugin_problems").help("Jars in plugins/ whose bundle is not"
                + " active (token:plugins says why)").callback(cb -> cb.call(plugins.problems())).register(registry);
        GaugeWithCallback.builder().name("tokenhost_role").help("1 for the role this host runs: standalone, manager,"
                + " worker (with high availability: leader, standby)").labelNames("role")
                .callback(cb -> cb.call(1, views.roleName())).register(registry);
        GaugeWithCallback.builder().name("tokenhost_ready").help("1 when /ready answers 200, else 0")
                .callback(cb -> cb.call(Readiness.check(views, clock.instant()).ready() ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("tokenhost_obtaining_ready").help("1 when this host obtains tokens"
                + " (standalone, manager, HA leader) and is ready; 0 otherwise. Summed over every manager, 0 means no"
                + " ready leader").callback(cb -> cb.call(views.obtains()
                        && Readiness.check(views, clock.instant()).ready() ? 1 : 0)).register(registry);
    }

    private void remoteGauges() {
        GaugeWithCallback.builder().name("tokenhost_manager_workers_connected").help("Workers connected to this"
                + " manager").callback(cb -> views.manager().ifPresent(m -> cb.call(m.workersConnected())))
                .register(registry);
        GaugeWithCallback.builder().name("tokenhost_manager_workers_behind").help("Connected workers that have not"
                + " acknowledged the current container version").callback(cb -> views.manager().ifPresent(
                        m -> cb.call(m.workersBehind()))).register(registry);
        GaugeWithCallback.builder().name("tokenhost_manager_oldest_unacknowledged_seconds").help("How long the"
                + " oldest container version not yet acknowledged by every connected worker has waited; 0 when all"
                + " have the current one").callback(cb -> views.manager().ifPresent(m -> cb.call(
                        m.oldestUnacknowledged().map(HostMetrics::seconds).orElse(0.0)))).register(registry);
        GaugeWithCallback.builder().name("tokenhost_worker_connected").help("1 while this worker is connected to its"
                + " manager").callback(cb -> views.worker().ifPresent(w -> cb.call(w.connected() ? 1 : 0)))
                .register(registry);
        GaugeWithCallback.builder().name("tokenhost_worker_last_container_age_seconds").help("How long ago this"
                + " worker applied its last container (received or restored)").callback(cb -> views.worker()
                        .flatMap(WorkerTelemetry::lastContainer).ifPresent(at -> cb.call(
                                seconds(Duration.between(at, clock.instant()))))).register(registry);
    }

    private java.util.List<ServiceStatus> services() {
        return views.status().map(TokenStatusView::services).orElse(java.util.List.of());
    }

    /** Providers' valid-until; on a worker, the received services' (a local provider wins a clash). */
    private Map<String, Instant> validUntil() {
        Map<String, Instant> result = new TreeMap<>();
        views.worker().ifPresent(w -> w.services().forEach((service, until) -> until.ifPresent(
                u -> result.put(service, u))));
        services().forEach(s -> s.validUntil().filter(u -> s.fingerprint().isPresent())
                .ifPresent(u -> result.put(s.serviceName(), u)));
        return result;
    }

    /** Millisecond precision, as the container's wire form carries valid-until to workers. */
    private static double epochSeconds(Instant at) {
        return at.toEpochMilli() / 1000.0;
    }

    /** {@code console.busy} of source {@code console} is reason {@code busy}. */
    static String reason(String source, String counter) {
        return counter.startsWith(source + ".") ? counter.substring(source.length() + 1) : counter;
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

}
