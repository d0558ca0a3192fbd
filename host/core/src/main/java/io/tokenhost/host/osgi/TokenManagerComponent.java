package io.tokenhost.host.osgi;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.api.ReceiverStatus;
import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.distribution.TokenContainerListener;
import io.tokenhost.api.distribution.TokenContainerSink;
import io.tokenhost.api.TokenStatusView;
import io.tokenhost.host.config.ConfigException;
import io.tokenhost.host.config.ManagerConfig;
import io.tokenhost.host.core.ManagerSettings;
import io.tokenhost.host.core.TokenManager;
import io.tokenhost.host.core.WallClockTimer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ThreadFactory;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TokenManager} as a DS component: every {@link DelegationTokenProvider} and {@link
 * DelegationTokenReceiver} service is tracked as it comes and goes, every {@link
 * TokenContainerListener} is told of new container versions, the host's {@link TokenContainerSink}
 * applies containers received from a remote manager, and configuration PID
 * {@value ManagerConfig#PID} is applied live. A refused configuration is logged with the reason and
 * the previous settings stay in force.
 */
@Component(immediate = true, configurationPid = ManagerConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {TokenStatusView.class, TokenControl.class, TokenContainerSink.class})
public final class TokenManagerComponent implements TokenControl, TokenContainerSink {

    private static final Logger LOG = LoggerFactory.getLogger(TokenManagerComponent.class);
    /** The timer re-reads the wall clock at least this often, to notice clock jumps. */
    private static final Duration MAX_TIMER_SLEEP = Duration.ofSeconds(10);
    private static final int DELIVERY_THREADS = 2;

    private final Map<Object, String> early = new LinkedHashMap<>();
    private TokenManager manager;
    private ScheduledExecutorService timerThread;
    private ExecutorService obtainThreads;
    private ExecutorService deliveryThreads;
    private volatile String configurationProblem;
    private volatile List<String> configurationWarnings = List.of();

    @Activate
    void activate(Map<String, Object> properties) {
        ManagerSettings settings = read(properties).orElse(ManagerSettings.DEFAULTS);
        timerThread = Executors.newSingleThreadScheduledExecutor(threads("tokenhost-timer"));
        obtainThreads = Executors.newCachedThreadPool(threads("tokenhost-obtain"));
        deliveryThreads = Executors.newFixedThreadPool(DELIVERY_THREADS, threads("tokenhost-deliver"));
        SecureRandom random = new SecureRandom();
        TokenManager created = new TokenManager(Clock.systemUTC(),
                new WallClockTimer(Clock.systemUTC(), timerThread, MAX_TIMER_SLEEP),
                obtainThreads, deliveryThreads, random::nextDouble, settings);
        synchronized (this) {
            manager = created;
            early.forEach(this::addToManager);
            early.clear();
        }
        LOG.info("Token manager started");
    }

    @Modified
    void modified(Map<String, Object> properties) {
        read(properties).ifPresent(settings -> manager().updateSettings(settings));
    }

    @Deactivate
    void deactivate() {
        manager().close();
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

    private Optional<ManagerSettings> read(Map<String, Object> properties) {
        try {
            ManagerConfig.Parsed parsed = ManagerConfig.parse(properties);
            configurationProblem = null;
            configurationWarnings = parsed.warnings();
            parsed.warnings().forEach(w -> LOG.warn("Configuration {}: {}", ManagerConfig.PID, w));
            return Optional.of(parsed.settings());
        } catch (ConfigException e) {
            configurationProblem = e.getMessage();
            LOG.error("Configuration {} refused, the previous settings stay in force: {}", ManagerConfig.PID,
                    e.getMessage());
            return Optional.empty();
        }
    }

    // ---- dynamic references; binds may come before activate, so early ones wait in a list

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void addProvider(DelegationTokenProvider provider, ServiceReference<?> reference) {
        add(provider, origin(reference));
    }

    synchronized void removeProvider(DelegationTokenProvider provider) {
        remove(provider);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void addReceiver(DelegationTokenReceiver receiver, ServiceReference<?> reference) {
        add(receiver, origin(reference));
    }

    synchronized void removeReceiver(DelegationTokenReceiver receiver) {
        remove(receiver);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void addListener(TokenContainerListener listener, ServiceReference<?> reference) {
        add(listener, origin(reference));
    }

    synchronized void removeListener(TokenContainerListener listener) {
        remove(listener);
    }

    private void add(Object service, String origin) {
        if (manager == null) {
            early.put(service, origin);
        } else {
            addToManager(service, origin);
        }
    }

    private void addToManager(Object service, String origin) {
        if (service instanceof DelegationTokenProvider provider) {
            manager.addProvider(provider, origin);
        } else if (service instanceof TokenContainerListener listener) {
            manager.addListener(listener, origin);
        } else {
            manager.addReceiver((DelegationTokenReceiver) service, origin);
        }
    }

    private void remove(Object service) {
        if (early.remove(service) != null || manager == null) {
            return;
        }
        if (service instanceof DelegationTokenProvider provider) {
            manager.removeProvider(provider);
        } else if (service instanceof TokenContainerListener listener) {
            manager.removeListener(listener);
        } else {
            manager.removeReceiver((DelegationTokenReceiver) service);
        }
    }

    private static String origin(ServiceReference<?> reference) {
        return reference.getBundle() == null ? "service " + reference.getProperty("service.id")
                : reference.getBundle().getSymbolicName() + " [" + reference.getBundle().getBundleId() + "]";
    }

    private synchronized TokenManager manager() {
        return manager;
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
        manager().applyRemote(container);
    }

    // ---- TokenControl

    @Override
    public long containerVersion() {
        return manager().containerVersion();
    }

    @Override
    public List<ServiceStatus> services() {
        return manager().services();
    }

    @Override
    public List<ReceiverStatus> receivers() {
        return manager().receivers();
    }

    @Override
    public CompletableFuture<ServiceStatus> obtainNow(String service) {
        return manager().obtainNow(service);
    }

    @Override
    public Map<String, CompletableFuture<ServiceStatus>> obtainAllNow() {
        return manager().obtainAllNow();
    }

    @Override
    public ManagerSettings settings() {
        return manager().settings();
    }

    @Override
    public Optional<String> configurationProblem() {
        return Optional.ofNullable(configurationProblem);
    }

    @Override
    public List<String> configurationWarnings() {
        return new ArrayList<>(configurationWarnings);
    }
}
