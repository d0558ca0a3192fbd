package io.tokenhost.host.osgi;

import io.tokenhost.api.ConfigurationProblems;
import io.tokenhost.api.Configured;
import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.api.ReceiverStatus;
import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.TokenStatusView;
import io.tokenhost.api.distribution.LeadershipSwitch;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.distribution.TokenContainerListener;
import io.tokenhost.api.distribution.TokenContainerSink;
import io.tokenhost.api.telemetry.TokenEvents;
import io.tokenhost.host.config.ManagerConfig;
import io.tokenhost.host.config.ManagerConfiguration;
import io.tokenhost.host.core.ManagerSettings;
import io.tokenhost.host.core.PluginBundle;
import io.tokenhost.host.core.ReceivedService;
import io.tokenhost.host.core.RenewalSettings;
import io.tokenhost.host.core.TokenManager;
import io.tokenhost.host.core.TokenManager.Departure;
import io.tokenhost.host.core.WallClockTimer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;
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
 * The {@link TokenManager} as a DS component: every {@link DelegationTokenProvider} and {@link
 * DelegationTokenReceiver} service is tracked as it comes and goes, every {@link
 * TokenContainerListener} is told of new container versions, the host's {@link TokenContainerSink}
 * applies containers received from a remote manager, a provider whose bundle stops (for an update,
 * say) hands its tokens over to its plugin's next revision, an uninstalled plugin has them withdrawn
 * at once (a synchronous bundle listener tells the manager), and configuration PID
 * {@value ManagerConfiguration#PID} is applied live through {@link Configured}: a refused
 * configuration keeps the previous settings, and one refused at the start keeps the manager from
 * starting. Either is reported to {@link ConfigurationProblems}, so {@code token:status} shows it.
 *
 * <p>"Not started" here means idle, not a failed component: a component whose constructor throws
 * stays registered, and DS tries to build it again for every service lookup, so every shell
 * command would log the refusal again, with a stack trace, into its own output. Idle, the manager
 * obtains and delivers nothing until a configuration is accepted, and the shell says why.
 */
@Component(immediate = true, configurationPid = ManagerConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {TokenStatusView.class, TokenControl.class, TokenContainerSink.class, LeadershipSwitch.class})
@Designate(ocd = ManagerConfiguration.class)
public final class TokenManagerComponent implements TokenControl, TokenContainerSink, LeadershipSwitch {

    private static final Logger LOG = LoggerFactory.getLogger(TokenManagerComponent.class);
    /** The timer re-reads the wall clock at least this often, to notice clock jumps. */
    private static final Duration MAX_TIMER_SLEEP = Duration.ofSeconds(10);
    private static final int DELIVERY_THREADS = 2;
    /** Before any configuration was accepted: every provider off. */
    private static final ManagerSettings IDLE = new ManagerSettings(false, Map.of(), RenewalSettings.DEFAULTS);
    /**
     * Framework property: "true" makes the manager start as a standby, obtaining nothing until a
     * {@link LeadershipSwitch} caller says it leads. The launcher sets it when the remote
     * configuration has {@code ha.*} keys, so that no provider that appears before the election
     * starts is obtained on a standby.
     */
    public static final String START_AS_STANDBY = "tokenhost.manager.start-as-standby";

    private final Configured<ManagerConfig> config = new Configured<>(ManagerConfiguration.PID,
            ManagerConfiguration.class, ManagerConfig::parse, LOG::error, LOG::warn)
            .alsoAccepting(ManagerConfig::isProviderKey);
    private final ScheduledExecutorService timerThread;
    private final ExecutorService obtainThreads;
    private final ExecutorService deliveryThreads;
    private final TokenManager manager;
    private final BundleContext context;
    /** The framework itself, to tell a host that stops from a plugin that does; null without one. */
    private final Bundle framework;
    /** Tells the manager of uninstalled plugins, synchronously: before the uninstall returns. */
    private final SynchronousBundleListener uninstalls = this::bundleChanged;

    /**
     * DS constructs the component before it binds any dynamic reference, so every bind below goes
     * straight to the manager.
     */
    @Activate
    public TokenManagerComponent(BundleContext context, Map<String, Object> properties,
            @Reference ConfigurationProblems problems) {
        config.reportTo(problems);
        // modify, not activate: a refusal leaves the manager idle instead of failing the component
        ManagerSettings settings = config.apply(properties).map(ManagerConfig::settings).orElse(IDLE);
        timerThread = Executors.newSingleThreadScheduledExecutor(threads("tokenhost-timer"));
        obtainThreads = Executors.newCachedThreadPool(threads("tokenhost-obtain"));
        deliveryThreads = Executors.newFixedThreadPool(DELIVERY_THREADS, threads("tokenhost-deliver"));
        SecureRandom random = new SecureRandom();
        manager = new TokenManager(Clock.systemUTC(), new WallClockTimer(Clock.systemUTC(), timerThread, MAX_TIMER_SLEEP),
                obtainThreads, deliveryThreads, random::nextDouble, settings);
        if (context != null && Boolean.parseBoolean(context.getProperty(START_AS_STANDBY))) {
            manager.standBy("waiting for the leader election to start (ha.* keys in the remote configuration)");
        }
        this.context = context;
        this.framework = context == null ? null : context.getBundle(Constants.SYSTEM_BUNDLE_ID);
        if (context != null) {
            context.addBundleListener(uninstalls);
        }
        LOG.info("Token manager started");
    }

    private void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.UNINSTALLED) {
            manager.pluginUninstalled(event.getBundle().getBundleId());
        }
    }

    /** Without a framework (unit tests): no uninstalls to hear of. */
    TokenManagerComponent(Map<String, Object> properties, ConfigurationProblems problems) {
        this(null, properties, problems);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        config.apply(properties).ifPresent(accepted -> manager.updateSettings(accepted.settings()));
    }

    @Deactivate
    void deactivate() {
        if (context != null) {
            context.removeBundleListener(uninstalls);
        }
        manager.close();
        timerThread.shutdownNow();
        obtainThreads.shutdownNow();
        deliveryThreads.shutdown();
        try {
            deliveryThreads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deliveryThreads.shutdownNow();
        LOG.info("Token manager stopped");
    }

    // ---- dynamic references

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(DelegationTokenProvider provider, ServiceReference<?> reference) {
        Bundle bundle = reference.getBundle();
        if (bundle == null || bundle.getSymbolicName() == null) {
            manager.addProvider(provider, origin(reference));
        } else {
            manager.addProvider(provider, new PluginBundle(bundle.getSymbolicName(), bundle.getBundleId()));
        }
    }

    /**
     * DS unbinds while the service unregisters, so its reference still names its bundle: one that is
     * stopping (to be updated, refreshed or uninstalled) hands the tokens over; a provider its running
     * plugin withdrew, or one whose bundle stops because the whole host does, has them withdrawn at
     * once.
     */
    void removeProvider(DelegationTokenProvider provider, ServiceReference<?> reference) {
        Bundle bundle = reference.getBundle();
        boolean bundleStopping = bundle != null && bundle.getState() == Bundle.STOPPING;
        boolean hostStopping = framework != null && framework.getState() == Bundle.STOPPING;
        manager.removeProvider(provider, bundleStopping && !hostStopping ? Departure.BUNDLE_STOPPING : Departure.WITHDRAWN);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addReceiver(DelegationTokenReceiver receiver, ServiceReference<?> reference) {
        manager.addReceiver(receiver, origin(reference));
    }

    void removeReceiver(DelegationTokenReceiver receiver) {
        manager.removeReceiver(receiver);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addListener(TokenContainerListener listener, ServiceReference<?> reference) {
        manager.addListener(listener, origin(reference));
    }

    void removeListener(TokenContainerListener listener) {
        manager.removeListener(listener);
    }

    /** Observers of obtains, deliveries and withdrawals (the metrics and audit bundle). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addEvents(TokenEvents observer) {
        manager.addEvents(observer);
    }

    void removeEvents(TokenEvents observer) {
        manager.removeEvents(observer);
    }

    private static String origin(ServiceReference<?> reference) {
        return reference.getBundle() == null ? "service " + reference.getProperty("service.id")
                : reference.getBundle().getSymbolicName() + " [" + reference.getBundle().getBundleId() + "]";
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    // ---- TokenContainerSink

    @Override
    public void accept(TokenContainer container) {
        manager.applyRemote(container);
    }

    // ---- LeadershipSwitch

    @Override
    public void lead() {
        manager.lead();
    }

    @Override
    public void standBy(String why) {
        manager.standBy(why);
    }

    // ---- TokenControl

    @Override
    public Optional<String> standbyReason() {
        return manager.standbyReason();
    }

    @Override
    public long containerVersion() {
        return manager.containerVersion();
    }

    @Override
    public List<ServiceStatus> services() {
        return manager.services();
    }

    @Override
    public List<ReceiverStatus> receivers() {
        return manager.receivers();
    }

    @Override
    public List<ReceivedService> receivedServices() {
        return manager.receivedServices();
    }

    @Override
    public CompletableFuture<ServiceStatus> obtainNow(String service) {
        return manager.obtainNow(service);
    }

    @Override
    public Map<String, CompletableFuture<ServiceStatus>> obtainAllNow() {
        return manager.obtainAllNow();
    }

    @Override
    public ManagerSettings settings() {
        return manager.settings();
    }

    @Override
    public Optional<Map<String, String>> configurationInForce() {
        return config.current().map(ManagerConfig::inForce);
    }

    @Override
    public Optional<String> configurationProblem() {
        return config.problem();
    }

    @Override
    public List<String> configurationWarnings() {
        return config.warnings();
    }
}
