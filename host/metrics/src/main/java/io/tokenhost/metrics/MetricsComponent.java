package io.tokenhost.metrics;

import io.tokenhost.api.ConfigurationProblems;
import io.tokenhost.api.Configured;
import io.tokenhost.api.ConfiguredService;
import io.tokenhost.api.ContextClassLoader;
import io.tokenhost.api.TokenStatusView;
import io.tokenhost.api.telemetry.DeliveryRecord;
import io.tokenhost.api.telemetry.ObtainRecord;
import io.tokenhost.api.telemetry.RemoteRole;
import io.tokenhost.api.telemetry.TokenEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's metrics ({@link HostMetrics}, counted from the start, as a {@link TokenEvents}
 * observer) and the endpoint that serves them with {@code /live} and {@code /ready}, configured by
 * PID {@value MetricsConfig#PID} through {@link Configured}: a refused value is logged at ERROR
 * naming the key and listed by {@code token:status}; a port that cannot be bound or a TLS file that
 * cannot be used is logged at ERROR naming the key, listed likewise, and the host runs on without
 * the endpoint until the configuration changes.
 */
@Component(immediate = true, configurationPid = MetricsConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = TokenEvents.class)
@Designate(ocd = MetricsConfig.class)
public final class MetricsComponent implements TokenEvents {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsComponent.class);

    private final HostViews views = new HostViews();
    private final Configured<MetricsSettings> configured = new Configured<>(MetricsConfig.PID, MetricsConfig.class,
            values -> MetricsSettings.parse(values, home()), LOG::error, LOG::warn).alsoAccepting(COUNTERS_TARGET::equals);
    private final ConfiguredService<MetricsSettings> endpoint = new ConfiguredService<>(configured, this::start);
    private final Clock clock = Clock.systemUTC();
    private final HostMetrics metrics;
    /** The host's, once its core bundle runs (this bundle starts before it); null before. */
    private ConfigurationProblems problems;
    /** Why the endpoint is not running, to report once the host's problem board is there. */
    private String notRunning;
    private static final String SERVICE_PID = "service.pid";
    /** The service property naming a counter service's source (the console's and the remote bundle's). */
    static final String COUNTERS = "tokenhost.counters";
    /** DS hands the component its reference's filter as property {@code <name>.target}: a known key, not a typo. */
    static final String COUNTERS_REFERENCE = "counters";
    static final String COUNTERS_TARGET = COUNTERS_REFERENCE + ".target";
    /** How long the endpoint waits for the configuration of conf/ before it starts with the defaults. */
    static final Duration DEFAULTS_DELAY = Duration.ofSeconds(30);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "tokenhost-metrics-defaults");
        thread.setDaemon(true);
        return thread;
    });
    private ScheduledFuture<?> defaults;

    /** Never throws for a configuration: refused or unusable, the host runs on without the endpoint. */
    @Activate
    public MetricsComponent(BundleContext context, Map<String, Object> properties) throws Exception {
        // the client library reads its optional prometheus.properties through the context class loader
        metrics = ContextClassLoader.call(getClass().getClassLoader(),
                () -> new HostMetrics(views, new PluginCensus(context), clock));
        synchronized (this) {
            start(properties);
        }
    }

    private void start(Map<String, Object> properties) throws Exception {
        if (properties.containsKey(SERVICE_PID) || !Files.exists(home().resolve("conf").resolve(MetricsConfig.PID + ".cfg"))) {
            endpoint.apply(properties);
        } else {
            // Not delivered yet, but conf/io.tokenhost.metrics.cfg exists: FileInstall, which starts after
            // the core bundles, is about to deliver it. Binding the default port meanwhile would collide
            // between hosts started together; the defaults apply only if it never arrives.
            defaults = timer.schedule(() -> applyDefaults(properties), DEFAULTS_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void applyDefaults(Map<String, Object> properties) {
        if (defaults != null) {
            defaults = null;
            try {
                endpoint.apply(properties);
            } catch (Exception e) {
                LOG.error("Metrics endpoint not started: {}", e.toString());
            }
        }
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) throws Exception {
        cancelDefaults();
        endpoint.apply(properties);
    }

    @Deactivate
    synchronized void deactivate() throws Exception {
        cancelDefaults();
        timer.shutdownNow();
        endpoint.stop();
    }

    private void cancelDefaults() {
        if (defaults != null) {
            defaults.cancel(false);
            defaults = null;
        }
    }

    private AutoCloseable start(MetricsSettings settings) {
        if (!settings.enabled()) {
            LOG.info("Metrics endpoint off ({}: enabled=false)", MetricsConfig.PID);
            return () -> { };
        }
        SSLContext tls = null;
        if (settings.tls().isPresent()) {
            try {
                tls = PemTls.context(settings.tls().get());
            } catch (PemTls.TlsFileException e) {
                return notStarted(e.key + ": " + e.getMessage());
            }
        }
        try {
            Endpoint started = Endpoint.start(settings.host(), settings.port(), tls,
                    settings.tls().flatMap(MetricsSettings.Tls::ca).isPresent(), metrics, views, clock);
            LOG.info("Metrics endpoint at {}://{}:{}/metrics (and /live, /ready)", tls == null ? "http" : "https",
                    settings.host(), started.port());
            return started;
        } catch (IOException e) {
            return notStarted(MetricsConfig.PORT + ": cannot listen on " + settings.host() + ":" + settings.port()
                    + " (" + e.getMessage() + ")");
        }
    }

    /** Logs why at ERROR, lists it in token:status, and runs on without the endpoint. */
    private AutoCloseable notStarted(String why) {
        LOG.error("Metrics endpoint not started, the host runs on without it until {} changes: {}",
                MetricsConfig.PID, why);
        synchronized (this) {
            notRunning = why;
            if (problems != null) {
                problems.refused(MetricsConfig.PID, why, false);
            }
        }
        return () -> notRunning = null;
    }

    // ---- references

    /** Optional and dynamic: this bundle starts before the host's core bundle that offers it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindProblems(ConfigurationProblems board) {
        problems = board;
        configured.reportTo(board);
        if (notRunning != null) {
            board.refused(MetricsConfig.PID, notRunning, false);
        }
    }

    synchronized void unbindProblems(ConfigurationProblems board) {
        if (problems == board) {
            problems = null;
        }
        configured.stopReportingTo(board);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStatus(TokenStatusView view) {
        views.status(view);
    }

    void unbindStatus(TokenStatusView view) {
        views.status(null);
    }

    /** The running remote role; HA registers {@code leader} or {@code standby} here the same way. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRole(RemoteRole role) {
        views.role(role);
    }

    void unbindRole(RemoteRole role) {
        views.role(null);
    }

    /** Refusal counters of the console and the remote bundle, {@code Supplier<Map<String, Long>>} by source. */
    @Reference(name = COUNTERS_REFERENCE, service = Supplier.class, target = "(" + COUNTERS + "=*)",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindCounters(Supplier<Map<String, Long>> counters, Map<String, Object> properties) {
        views.counters(String.valueOf(properties.get(COUNTERS)), counters);
    }

    void unbindCounters(Supplier<Map<String, Long>> counters, Map<String, Object> properties) {
        views.noCounters(String.valueOf(properties.get(COUNTERS)), counters);
    }

    // ---- TokenEvents, counted

    @Override
    public void obtainEnded(ObtainRecord record) {
        metrics.obtainEnded(record);
    }

    @Override
    public void delivered(DeliveryRecord record) {
        metrics.delivered(record);
    }

    @Override
    public void withdrawn(String service, long containerVersion) {
        metrics.withdrawn(service, containerVersion);
    }

    @Override
    public void containerPushed(long version, int workers) {
        metrics.containerPushed(version, workers);
    }

    @Override
    public void containerAcknowledged(long version, int workers, Duration sincePush) {
        metrics.containerAcknowledged(version, workers, sincePush);
    }

    private static Path home() {
        return Path.of(System.getProperty("tokenhost.home", ".")).toAbsolutePath();
    }
}
