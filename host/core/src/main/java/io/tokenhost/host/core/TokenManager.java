package io.tokenhost.host.core;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.api.ReceiverStatus;
import io.tokenhost.api.ServiceNames;
import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.TokenStatusView;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.distribution.TokenContainerListener;
import io.tokenhost.api.telemetry.TokenEvents;
import io.tokenhost.host.core.ProviderRegistry.Removal;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every provider's tokens fresh and every receiver supplied; the host's single entry point,
 * which hands each job to its own class:
 *
 * <ul>
 *   <li>{@link ProviderRegistry}: a provider that appears is obtained at once; one that leaves has
 *       its tokens withdrawn. The first provider of a service name wins; later ones are reported as
 *       duplicates and take over, in order, when it leaves.
 *   <li>{@link HandOvers}: a provider that leaves as its bundle stops (an update, say) leaves its
 *       tokens in force for a while: a provider of the same plugin that appears meanwhile takes them
 *       over, and they stay until its first obtain succeeds or they expire. Uninstalling the plugin
 *       withdraws them at once.
 *   <li>{@link RenewalScheduler} (with {@link ObtainRunner}): each obtain runs on its own on {@code
 *       obtainExecutor} with a timeout, so a failing or hanging provider delays no other; its last
 *       good tokens stay until they expire. Timing follows {@link RenewalPolicy}.
 *   <li>{@link TokenDelivery}: the container and its version, its receivers and container listeners
 *       (e.g. the remote manager pushing to workers), and {@link #applyRemote(TokenContainer)}, which
 *       puts a container received from a remote manager in force (worker role).
 *   <li>{@link ReceivedTokens}: on a worker, withdraws received tokens that expire before a newer
 *       container renews them.
 * </ul>
 *
 * <p>Provider state is guarded by one lock, shared with the scheduler; the delivery guards itself.
 * Plugin code (obtain, deliver) never runs under either. {@code deliveryExecutor} must run tasks on
 * other threads, never inline.
 */
public final class TokenManager implements TokenStatusView, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TokenManager.class);

    private final Object lock = new Object();
    private final ProviderRegistry registry = new ProviderRegistry();
    private final TokenDelivery delivery;
    private final RenewalScheduler scheduler;
    private final ReceivedTokens received;
    private final HandOvers handOvers;
    private final TelemetryHub events = new TelemetryHub();
    private ManagerSettings settings;
    private boolean closed;
    /** Why this manager does not lead (another one does); null while it leads, as it does unless told. */
    private String standbyReason;

    /** Why a provider left. */
    public enum Departure {
        /** Its plugin withdrew it while running: its tokens are withdrawn at once. */
        WITHDRAWN,
        /**
         * Its bundle is stopping, and may come back as a new revision (an update, a refresh): its
         * tokens stay for a provider of the same plugin to take over, at most for the update grace.
         */
        BUNDLE_STOPPING
    }

    public TokenManager(Clock clock, TaskTimer timer, Executor obtainExecutor, Executor deliveryExecutor,
            DoubleSupplier random, ManagerSettings settings) {
        this.settings = settings;
        this.delivery = new TokenDelivery(clock, deliveryExecutor, events);
        this.scheduler = new RenewalScheduler(lock, clock, timer, obtainExecutor, random, settings, delivery, events);
        this.received = new ReceivedTokens(lock, clock, timer, delivery);
        this.handOvers = new HandOvers(lock, clock, timer, scheduler);
    }

    // ---- plugins coming and going

    /** Adds a provider that no plugin bundle registered: it never hands its tokens over. */
    public void addProvider(DelegationTokenProvider provider, String origin) {
        add(provider, origin, null);
    }

    /**
     * Adds a provider of a plugin bundle; if a provider of the same plugin (symbolic name) left its
     * tokens as its bundle stopped, this one takes them over.
     */
    public void addProvider(DelegationTokenProvider provider, PluginBundle plugin) {
        add(provider, plugin.toString(), plugin);
    }

    private void add(DelegationTokenProvider provider, String origin, PluginBundle plugin) {
        String service = serviceNameOf(provider::serviceName, "provider", origin);
        if (service == null) {
            return;
        }
        synchronized (lock) {
            ProviderSlot slot = new ProviderSlot(provider, service, origin, plugin);
            Optional<ProviderSlot> inCharge = registry.add(slot);
            if (inCharge.isPresent()) {
                slot.duplicated();
                LOG.error("Provider {} offers service '{}', which {} already provides; it is ignored"
                        + " unless that provider leaves", origin, service, inCharge.get().origin());
                return;
            }
            Optional<ProviderSlot> previous = handOvers.claim(slot);
            if (previous.isPresent()) {
                slot.tookOver(previous.get());
                scheduler.watchExpiry(slot);
                LOG.info("Provider {} added for service '{}'; it takes over the tokens of the previous revision,"
                        + " which stay until its first obtain succeeds or they expire (valid until {})", origin,
                        service, slot.validUntil().map(Instant::toString).orElse("(not given)"));
            } else {
                LOG.info("Provider {} added for service '{}'", origin, service);
            }
            putInCharge(slot);
        }
    }

    /** Removes a provider that its plugin withdrew: its tokens are withdrawn at once. */
    public void removeProvider(DelegationTokenProvider provider) {
        removeProvider(provider, Departure.WITHDRAWN);
    }

    public void removeProvider(DelegationTokenProvider provider, Departure departure) {
        synchronized (lock) {
            registry.remove(provider).ifPresent(removal -> retire(removal, departure));
        }
    }

    /** The plugin bundle with this id was uninstalled: the tokens its providers left are withdrawn. */
    public void pluginUninstalled(long bundleId) {
        synchronized (lock) {
            handOvers.uninstalled(bundleId);
        }
    }

    private void retire(Removal removal, Departure departure) {
        ProviderSlot slot = removal.slot();
        if (removal.wasInCharge()) {
            Optional<PluginBundle> plugin = slot.plugin();
            if (departure == Departure.BUNDLE_STOPPING && plugin.isPresent() && slot.holdsTokens()
                    && removal.successor().isEmpty() && !settings.updateGrace().isZero() && !closed) {
                scheduler.stop(slot);
                handOvers.start(slot, plugin.get(), settings.updateGrace());
            } else {
                slot.left();
                scheduler.stopAndWithdraw(slot, "its provider left");
            }
            slot.failWaiters("provider of service '" + slot.service() + "' left");
            removal.successor().ifPresent(next -> {
                LOG.warn("Provider {} now serves '{}' in place of the one that left", next.origin(), next.service());
                putInCharge(next);
            });
        }
        LOG.info("Provider {} removed from service '{}'", slot.origin(), slot.service());
    }

    public void addReceiver(DelegationTokenReceiver receiver, String origin) {
        String service = serviceNameOf(receiver::serviceName, "receiver", origin);
        if (service != null) {
            delivery.addReceiver(receiver, service, origin);
        }
    }

    public void removeReceiver(DelegationTokenReceiver receiver) {
        delivery.removeReceiver(receiver);
    }

    /** Adds a listener; it is offered the current container at once unless none was obtained yet. */
    public void addListener(TokenContainerListener listener, String origin) {
        delivery.addListener(listener, origin);
    }

    public void removeListener(TokenContainerListener listener) {
        delivery.removeListener(listener);
    }

    /**
     * Puts a container received from a remote manager in force: services whose bytes changed are
     * delivered to their receivers, services missing from it are withdrawn, others are left alone.
     * The container's version replaces the local one (a restarted manager may count from 1 again).
     * Tokens whose valid-until passes before a newer container renews them are withdrawn then, and
     * tokens that arrive already expired are not delivered ({@link ReceivedTokens}).
     */
    public void applyRemote(TokenContainer container) {
        synchronized (lock) {
            List<String> local = registry.services();
            if (received.apply(container) && !local.isEmpty()) {
                LOG.warn("Applied a remote container while local providers {} are registered; their next"
                        + " obtain will change it again (run providers on the manager only)", local);
            }
        }
    }

    /** Adds an observer of obtains, deliveries and withdrawals (metrics, audit); see {@link TokenEvents}. */
    public void addEvents(TokenEvents observer) {
        events.add(observer);
    }

    public void removeEvents(TokenEvents observer) {
        events.remove(observer);
    }

    // ---- leading or standing by (manager high availability)

    /**
     * This manager leads: every enabled service is obtained at once and kept fresh from then on.
     * Nothing happens if it already leads (the default).
     */
    public void lead() {
        synchronized (lock) {
            if (standbyReason == null || closed) {
                return;
            }
            standbyReason = null;
            scheduler.resume();
            LOG.info("Leading: obtaining every enabled service now");
            registry.inCharge().stream().filter(ProviderSlot::isEnabled).forEach(scheduler::obtain);
        }
    }

    /**
     * This manager stands by (another one leads, or none can be known): no obtain runs or is
     * planned until {@link #lead()}; a running obtain is called off and its result discarded; callers
     * of {@link #obtainNow} waiting are answered with the reason. Tokens held stay in the container.
     *
     * @param why shown in {@code token:status}
     */
    public void standBy(String why) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            boolean wasLeading = standbyReason == null;
            standbyReason = why;
            if (!wasLeading) {
                return;
            }
            scheduler.pause();
            for (ProviderSlot slot : registry.inCharge()) {
                scheduler.stop(slot);
                slot.failWaiters("this manager stands by: " + why);
            }
            LOG.info("Standing by, no obtains: {}", why);
        }
    }

    /** Why this manager stands by; empty while it leads. */
    public Optional<String> standbyReason() {
        synchronized (lock) {
            return Optional.ofNullable(standbyReason);
        }
    }

    // ---- settings and commands

    /** Applies new settings; a provider switched on is obtained at once, one switched off withdrawn. */
    public void updateSettings(ManagerSettings newSettings) {
        synchronized (lock) {
            settings = newSettings;
            scheduler.useSettings(newSettings);
            for (ProviderSlot slot : registry.inCharge()) {
                boolean enabled = newSettings.isEnabled(slot.service());
                if (enabled && !slot.isEnabled()) {
                    LOG.info("Service '{}' enabled", slot.service());
                    putInCharge(slot);
                } else if (!enabled && slot.isEnabled()) {
                    LOG.info("Service '{}' disabled", slot.service());
                    slot.switchedOff();
                    scheduler.stopAndWithdraw(slot, "it was disabled");
                    slot.failWaiters("service '" + slot.service() + "' is disabled");
                }
            }
            handOvers.services().stream().filter(service -> !newSettings.isEnabled(service))
                    .forEach(service -> handOvers.end(service, "it was disabled"));
        }
    }

    /**
     * Obtains one service's tokens now (or joins the obtain already running).
     *
     * @return completes with the service's status once the attempt ended, successful or not;
     *     completes exceptionally if the service is unknown, disabled or leaves meanwhile
     */
    public CompletableFuture<ServiceStatus> obtainNow(String service) {
        synchronized (lock) {
            Optional<ProviderSlot> inCharge = registry.inCharge(service);
            if (inCharge.isEmpty()) {
                return CompletableFuture.failedFuture(new NoSuchElementException(handOvers.services().contains(service)
                        ? "the provider of service '" + service + "' left; its plugin's next revision has not appeared yet"
                        : "no provider for service '" + service + "'"));
            }
            ProviderSlot slot = inCharge.get();
            if (standbyReason != null) {
                return CompletableFuture.failedFuture(new IllegalStateException("this manager stands by, the leader"
                        + " obtains: " + standbyReason));
            }
            if (!slot.isEnabled()) {
                return CompletableFuture.failedFuture(new IllegalStateException("service '" + service + "' is disabled"));
            }
            CompletableFuture<ServiceStatus> done = new CompletableFuture<>();
            slot.addWaiter(done);
            scheduler.obtain(slot);
            return done;
        }
    }

    /** {@link #obtainNow(String)} for every enabled service. */
    public Map<String, CompletableFuture<ServiceStatus>> obtainAllNow() {
        Map<String, CompletableFuture<ServiceStatus>> results = new TreeMap<>();
        synchronized (lock) {
            registry.inCharge().stream().filter(ProviderSlot::isEnabled)
                    .forEach(slot -> results.put(slot.service(), obtainNow(slot.service())));
        }
        return results;
    }

    /** The current container (immutable). */
    public TokenContainer container() {
        return delivery.container();
    }

    public ManagerSettings settings() {
        synchronized (lock) {
            return settings;
        }
    }

    // ---- status view

    @Override
    public long containerVersion() {
        return container().version();
    }

    @Override
    public List<ServiceStatus> services() {
        synchronized (lock) {
            // stable: a service's providers stay in arrival order
            return Stream.concat(registry.statuses().stream(), handOvers.statuses().stream())
                    .sorted(Comparator.comparing(ServiceStatus::serviceName)).toList();
        }
    }

    @Override
    public List<ReceiverStatus> receivers() {
        return delivery.receiverStatuses();
    }

    /** On a worker: every service received from the manager, valid or expired, by name. */
    public List<ReceivedService> receivedServices() {
        synchronized (lock) {
            return received.statuses();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            scheduler.close();
            received.close();
            handOvers.close();
            for (ProviderSlot slot : registry.inCharge()) {
                scheduler.stop(slot);
                slot.failWaiters("the token manager stopped");
            }
            delivery.close();
        }
    }

    /** Makes a slot the one in charge of its service: obtained at once if its service is enabled. */
    private void putInCharge(ProviderSlot slot) {
        if (settings.isEnabled(slot.service())) {
            slot.switchedOn();
            scheduler.obtain(slot);
        } else {
            slot.switchedOff();
        }
    }

    /** Asks a plugin for its service name, refusing (and reporting) a bad one. */
    private static String serviceNameOf(Callable<String> name, String kind, String origin) {
        try {
            return ServiceNames.validate(name.call());
        } catch (Exception e) {
            LOG.error("Ignoring {} {}: {}", kind, origin, Errors.describe(e));
            return null;
        }
    }
}
