package io.tokenhost.host.core;

import io.tokenhost.api.ContextClassLoader;
import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.api.ObtainedTokens;
import io.tokenhost.api.ReceiverStatus;
import io.tokenhost.api.ServiceNames;
import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.ServiceStatus.State;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.distribution.TokenContainerListener;
import io.tokenhost.api.TokenFingerprint;
import io.tokenhost.api.TokenStatusView;
import io.tokenhost.host.core.ProviderSlot.Attempt;
import io.tokenhost.host.core.ReceiverHandle.Delivery;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every provider's tokens fresh and every receiver supplied.
 *
 * <ul>
 *   <li>A provider that appears is obtained at once; one that leaves has its tokens withdrawn. The
 *       first provider of a service name wins; later ones are reported as duplicates and take over,
 *       in order, when it leaves.
 *   <li>Each obtain runs on its own on {@code obtainExecutor} with a timeout; a failing or hanging
 *       provider delays no other. Its last good tokens stay until they expire.
 *   <li>Timing follows {@link RenewalPolicy}; a timer withdraws tokens that expire unrenewed.
 *   <li>Every change to the container bumps its version and is offered to that service's receivers
 *       ({@link ReceiverHandle}); a receiver that appears gets the current tokens at once.
 *   <li>Every new container version is offered to the container listeners ({@link ListenerHandle},
 *       e.g. the remote manager pushing to workers); one that appears gets the current container.
 *   <li>{@link #applyRemote(TokenContainer)} replaces the container with one received from a remote
 *       manager (worker role) and delivers only what changed.
 * </ul>
 *
 * <p>All state is guarded by one lock; plugin code (obtain, deliver) never runs under it. {@code
 * deliveryExecutor} must run tasks on other threads, never inline.
 */
public final class TokenManager implements TokenStatusView, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TokenManager.class);

    private final Object lock = new Object();
    private final Clock clock;
    private final TaskTimer timer;
    private final Executor obtainExecutor;
    private final Executor deliveryExecutor;
    private final DoubleSupplier random;

    private ManagerSettings settings;
    private RenewalPolicy policy;
    /** Per service name, in arrival order: the first is active, the rest are duplicates. */
    private final Map<String, List<ProviderSlot>> providers = new TreeMap<>();
    private final Map<String, List<ReceiverHandle>> receivers = new TreeMap<>();
    private final List<ListenerHandle> listeners = new ArrayList<>();
    private TokenContainer container = TokenContainer.empty();
    private long attempts;
    private boolean closed;

    public TokenManager(Clock clock, TaskTimer timer, Executor obtainExecutor, Executor deliveryExecutor,
            DoubleSupplier random, ManagerSettings settings) {
        this.clock = clock;
        this.timer = timer;
        this.obtainExecutor = obtainExecutor;
        this.deliveryExecutor = deliveryExecutor;
        this.random = random;
        this.settings = settings;
        this.policy = new RenewalPolicy(settings.renewal(), random);
    }

    // ---- providers

    public void addProvider(DelegationTokenProvider provider, String origin) {
        String service = serviceNameOf(provider::serviceName, "provider", origin);
        if (service == null) {
            return;
        }
        synchronized (lock) {
            List<ProviderSlot> slots = providers.computeIfAbsent(service, s -> new ArrayList<>());
            ProviderSlot slot = new ProviderSlot(provider, service, origin);
            slots.add(slot);
            if (slots.size() > 1) {
                slot.state = State.DUPLICATE;
                LOG.error("Provider {} offers service '{}', which {} already provides; it is ignored"
                        + " unless that provider leaves", origin, service, slots.get(0).origin);
                return;
            }
            LOG.info("Provider {} added for service '{}'", origin, service);
            activate(slot);
        }
    }

    public void removeProvider(DelegationTokenProvider provider) {
        synchronized (lock) {
            for (List<ProviderSlot> slots : providers.values()) {
                for (int i = 0; i < slots.size(); i++) {
                    ProviderSlot slot = slots.get(i);
                    if (slot.provider == provider) {
                        slots.remove(i);
                        if (i == 0) {
                            deactivate(slot, "its provider left");
                            failWaiters(slot, "provider of service '" + slot.service + "' left");
                            promoteNext(slot.service, slots);
                        }
                        if (slots.isEmpty()) {
                            providers.remove(slot.service);
                        }
                        LOG.info("Provider {} removed from service '{}'", slot.origin, slot.service);
                        return;
                    }
                }
            }
        }
    }

    private void promoteNext(String service, List<ProviderSlot> slots) {
        if (!slots.isEmpty()) {
            ProviderSlot next = slots.get(0);
            LOG.warn("Provider {} now serves '{}' in place of the one that left", next.origin, service);
            activate(next);
        }
    }

    // ---- receivers

    public void addReceiver(DelegationTokenReceiver receiver, String origin) {
        String service = serviceNameOf(receiver::serviceName, "receiver", origin);
        if (service == null) {
            return;
        }
        synchronized (lock) {
            ReceiverHandle handle = new ReceiverHandle(receiver, service, origin, deliveryExecutor, clock);
            receivers.computeIfAbsent(service, s -> new ArrayList<>()).add(handle);
            container.tokens(service).ifPresent(tokens -> handle.offer(delivery(service, tokens)));
        }
    }

    public void removeReceiver(DelegationTokenReceiver receiver) {
        synchronized (lock) {
            for (List<ReceiverHandle> handles : receivers.values()) {
                for (ReceiverHandle handle : handles) {
                    if (handle.receiver == receiver) {
                        handle.close();
                        handles.remove(handle);
                        if (handles.isEmpty()) {
                            receivers.remove(handle.service);
                        }
                        return;
                    }
                }
            }
        }
    }

    // ---- container listeners

    /** Adds a listener; it is offered the current container at once unless none was obtained yet. */
    public void addListener(TokenContainerListener listener, String origin) {
        synchronized (lock) {
            ListenerHandle handle = new ListenerHandle(listener, origin, deliveryExecutor);
            listeners.add(handle);
            if (container.version() > 0) {
                handle.offer(container);
            }
        }
    }

    public void removeListener(TokenContainerListener listener) {
        synchronized (lock) {
            listeners.removeIf(handle -> {
                if (handle.listener == listener) {
                    handle.close();
                    return true;
                }
                return false;
            });
        }
    }

    // ---- containers from a remote manager

    /**
     * Puts a container received from a remote manager in force: services whose bytes changed are
     * delivered to their receivers, services missing from it are withdrawn, others are left alone.
     * The container's version replaces the local one (a restarted manager may count from 1 again).
     */
    public void applyRemote(TokenContainer received) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (!providers.isEmpty()) {
                LOG.warn("Applying a remote container while local providers {} are registered; their next"
                        + " obtain will change it again (run providers on the manager only)", providers.keySet());
            }
            TokenContainer previous = container;
            container = received;
            TreeSet<String> services = new TreeSet<>(previous.services());
            services.addAll(received.services());
            int changed = 0;
            for (String service : services) {
                byte[] before = previous.tokens(service).orElse(null);
                byte[] after = received.tokens(service).orElse(null);
                if (!Arrays.equals(before, after)) {
                    publish(service);
                    changed++;
                }
            }
            LOG.info("Applied remote container version {} (was {}): {} of {} services changed", received.version(),
                    previous.version(), changed, services.size());
            notifyListeners();
        }
    }

    // ---- settings and commands

    /** Applies new settings; a provider switched on is obtained at once, one switched off withdrawn. */
    public void updateSettings(ManagerSettings newSettings) {
        synchronized (lock) {
            settings = newSettings;
            policy = new RenewalPolicy(newSettings.renewal(), random);
            for (List<ProviderSlot> slots : providers.values()) {
                ProviderSlot slot = slots.get(0);
                boolean enabled = newSettings.isEnabled(slot.service);
                if (enabled && !slot.enabled) {
                    LOG.info("Service '{}' enabled", slot.service);
                    activate(slot);
                } else if (!enabled && slot.enabled) {
                    LOG.info("Service '{}' disabled", slot.service);
                    deactivate(slot, "it was disabled");
                    slot.state = State.DISABLED;
                    failWaiters(slot, "service '" + slot.service + "' is disabled");
                }
            }
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
            List<ProviderSlot> slots = providers.get(service);
            if (slots == null) {
                return CompletableFuture.failedFuture(new NoSuchElementException("no provider for service '" + service + "'"));
            }
            ProviderSlot slot = slots.get(0);
            if (!slot.enabled) {
                return CompletableFuture.failedFuture(new IllegalStateException("service '" + service + "' is disabled"));
            }
            CompletableFuture<ServiceStatus> done = new CompletableFuture<>();
            slot.waiters.add(done);
            startObtain(slot);
            return done;
        }
    }

    /** {@link #obtainNow(String)} for every enabled service. */
    public Map<String, CompletableFuture<ServiceStatus>> obtainAllNow() {
        Map<String, CompletableFuture<ServiceStatus>> results = new TreeMap<>();
        synchronized (lock) {
            for (Map.Entry<String, List<ProviderSlot>> entry : providers.entrySet()) {
                if (entry.getValue().get(0).enabled) {
                    results.put(entry.getKey(), obtainNow(entry.getKey()));
                }
            }
        }
        return results;
    }

    /** The current container (immutable). */
    public TokenContainer container() {
        synchronized (lock) {
            return container;
        }
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
            List<ServiceStatus> all = new ArrayList<>();
            providers.values().forEach(slots -> slots.forEach(slot -> all.add(slot.status())));
            return all;
        }
    }

    @Override
    public List<ReceiverStatus> receivers() {
        List<ReceiverHandle> handles = new ArrayList<>();
        synchronized (lock) {
            receivers.values().forEach(handles::addAll);
        }
        return handles.stream().map(ReceiverHandle::status)
                .sorted(Comparator.comparing(ReceiverStatus::serviceName).thenComparing(ReceiverStatus::origin))
                .toList();
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            for (List<ProviderSlot> slots : providers.values()) {
                ProviderSlot slot = slots.get(0);
                slot.cancelTimers();
                stopInFlight(slot);
                failWaiters(slot, "the token manager stopped");
            }
            receivers.values().forEach(handles -> handles.forEach(ReceiverHandle::close));
            listeners.forEach(ListenerHandle::close);
        }
    }

    // ---- obtaining (all below run under the lock unless said otherwise)

    private void activate(ProviderSlot slot) {
        slot.enabled = settings.isEnabled(slot.service);
        if (!slot.enabled) {
            slot.state = State.DISABLED;
            return;
        }
        slot.state = slot.holdsTokens ? State.VALID : State.PENDING;
        startObtain(slot);
    }

    private void deactivate(ProviderSlot slot, String why) {
        slot.enabled = false;
        slot.cancelTimers();
        stopInFlight(slot);
        if (slot.holdsTokens) {
            withdraw(slot, why);
        }
    }

    private boolean isActive(ProviderSlot slot) {
        List<ProviderSlot> slots = providers.get(slot.service);
        return !closed && slot.enabled && slots != null && slots.get(0) == slot;
    }

    private void startObtain(ProviderSlot slot) {
        if (slot.inFlight != null) {
            if (slot.inFlight.timedOut) {
                recordFailure(slot, "the previous obtain is still running past its timeout"
                        + " (the provider ignores interrupts)");
            }
            return; // the running obtain will answer the waiters
        }
        if (slot.nextObtainTask != null) {
            slot.nextObtainTask.cancel();
            slot.nextObtainTask = null;
        }
        slot.nextObtain = null;
        Attempt attempt = new Attempt(++attempts);
        slot.inFlight = attempt;
        attempt.timeout = timer.schedule(clock.instant().plus(settings.renewal().obtainTimeout()),
                () -> onTimeout(slot, attempt));
        obtainExecutor.execute(() -> runObtain(slot, attempt));
    }

    /** Runs on the obtain executor, outside the lock while the provider works. */
    private void runObtain(ProviderSlot slot, Attempt attempt) {
        synchronized (lock) {
            if (attempt.timedOut || slot.inFlight != attempt) {
                if (slot.inFlight == attempt) {
                    slot.inFlight = null;
                }
                return;
            }
            attempt.thread = Thread.currentThread();
        }
        Outcome outcome;
        try {
            outcome = ContextClassLoader.call(slot.provider.getClass().getClassLoader(), () -> slot.provider.delegationTokensRequired()
                    ? Outcome.obtained(slot.provider.obtainDelegationTokens())
                    : Outcome.NOT_REQUIRED);
        } catch (Throwable e) {
            outcome = Outcome.failed(Errors.describe(e));
        }
        synchronized (lock) {
            attempt.thread = null;
            Thread.interrupted(); // an interrupt aimed at this attempt must not hit the pool's next task
            finish(slot, attempt, outcome);
        }
    }

    private void onTimeout(ProviderSlot slot, Attempt attempt) {
        synchronized (lock) {
            if (slot.inFlight != attempt || attempt.timedOut) {
                return;
            }
            attempt.timedOut = true;
            if (attempt.thread != null) {
                attempt.thread.interrupt();
            }
            if (isActive(slot)) {
                recordFailure(slot, "obtain timed out after " + settings.renewal().obtainTimeout());
            }
        }
    }

    private void stopInFlight(ProviderSlot slot) {
        Attempt attempt = slot.inFlight;
        if (attempt != null) {
            attempt.timedOut = true; // its result is no longer wanted
            attempt.timeout.cancel();
            if (attempt.thread != null) {
                attempt.thread.interrupt();
            }
        }
    }

    private void finish(ProviderSlot slot, Attempt attempt, Outcome outcome) {
        if (slot.inFlight != attempt) {
            return;
        }
        slot.inFlight = null;
        attempt.timeout.cancel();
        if (attempt.timedOut || !isActive(slot)) {
            LOG.debug("Discarded the late result of an obtain for '{}'", slot.service);
            return;
        }
        Instant now = clock.instant();
        if (outcome == Outcome.NOT_REQUIRED) {
            slot.state = State.NOT_REQUIRED;
            slot.consecutiveFailures = 0;
            slot.lastError = null;
            scheduleObtain(slot, policy.nextObtainAfterSuccess(now, Optional.empty()));
        } else if (outcome.error() != null) {
            recordFailure(slot, outcome.error());
        } else {
            String problem = problemWith(outcome.tokens(), now);
            if (problem != null) {
                recordFailure(slot, problem);
            } else {
                accept(slot, outcome.tokens(), now);
            }
        }
        completeWaiters(slot);
    }

    private static String problemWith(ObtainedTokens tokens, Instant now) {
        if (tokens.size() > TokenContainer.MAX_TOKEN_BYTES) {
            return "the provider returned " + tokens.size() + " bytes of tokens; at most "
                    + TokenContainer.MAX_TOKEN_BYTES + " are allowed";
        }
        if (tokens.validUntil().isPresent() && !tokens.validUntil().get().isAfter(now)) {
            return "the provider returned tokens that expired at " + tokens.validUntil().get()
                    + " (now " + now + "; clock skew?)";
        }
        return null;
    }

    private void accept(ProviderSlot slot, ObtainedTokens obtained, Instant now) {
        byte[] tokens = obtained.tokens();
        container = container.with(container.version() + 1, slot.service, tokens);
        slot.holdsTokens = true;
        slot.state = State.VALID;
        slot.lastObtain = now;
        slot.validUntil = obtained.validUntil().orElse(null);
        slot.consecutiveFailures = 0;
        slot.lastError = null;
        slot.fingerprint = TokenFingerprint.of(tokens);
        slot.tokenBytes = tokens.length;
        if (slot.expiryTask != null) {
            slot.expiryTask.cancel();
            slot.expiryTask = null;
        }
        if (slot.validUntil != null) {
            slot.expiryTask = timer.schedule(slot.validUntil, () -> onExpiry(slot));
        }
        scheduleObtain(slot, policy.nextObtainAfterSuccess(now, obtained.validUntil()));
        LOG.info("Obtained tokens for '{}': {} bytes, fingerprint {}, valid until {}, next obtain at {},"
                + " container version {}", slot.service, slot.tokenBytes, slot.fingerprint,
                slot.validUntil == null ? "(not given)" : slot.validUntil, slot.nextObtain, container.version());
        publish(slot.service);
        notifyListeners();
    }

    private void recordFailure(ProviderSlot slot, String error) {
        Instant now = clock.instant();
        slot.consecutiveFailures++;
        slot.lastError = error;
        slot.state = State.FAILING;
        Optional<Instant> validUntil = slot.holdsTokens ? Optional.ofNullable(slot.validUntil) : Optional.empty();
        scheduleObtain(slot, policy.nextRetryAfterFailure(now, slot.consecutiveFailures, validUntil));
        LOG.warn("Obtaining tokens for '{}' failed ({} in a row); {}; retry at {}: {}", slot.service,
                slot.consecutiveFailures, slot.holdsTokens ? "keeping the current tokens" : "no tokens held",
                slot.nextObtain, error);
        completeWaiters(slot);
    }

    private void scheduleObtain(ProviderSlot slot, Instant at) {
        if (slot.nextObtainTask != null) {
            slot.nextObtainTask.cancel();
        }
        slot.nextObtain = at;
        slot.nextObtainTask = timer.schedule(at, () -> {
            synchronized (lock) {
                if (isActive(slot) && at.equals(slot.nextObtain)) {
                    startObtain(slot);
                }
            }
        });
    }

    private void onExpiry(ProviderSlot slot) {
        synchronized (lock) {
            if (!isActive(slot) || !slot.holdsTokens || slot.validUntil == null
                    || clock.instant().isBefore(slot.validUntil)) {
                return;
            }
            Instant expired = slot.validUntil;
            withdraw(slot, "they expired at " + expired + " without a successful renewal");
            slot.state = State.FAILING;
            if (slot.lastError == null) {
                slot.lastError = "tokens expired at " + expired + " without a successful renewal";
            }
            if (slot.inFlight == null && (slot.nextObtain == null || slot.nextObtain.isAfter(clock.instant()))) {
                startObtain(slot);
            }
        }
    }

    private void withdraw(ProviderSlot slot, String why) {
        slot.forgetTokens();
        if (container.tokens(slot.service).isPresent()) {
            container = container.without(container.version() + 1, slot.service);
            LOG.info("Withdrew the tokens of '{}' because {}; container version {}", slot.service, why,
                    container.version());
            publish(slot.service);
            notifyListeners();
        }
    }

    private void publish(String service) {
        List<ReceiverHandle> handles = receivers.getOrDefault(service, List.of());
        Delivery delivery = container.tokens(service)
                .map(tokens -> delivery(service, tokens))
                .orElseGet(() -> new Delivery(container.version(), null, null));
        handles.forEach(handle -> handle.offer(delivery));
    }

    private void notifyListeners() {
        listeners.forEach(handle -> handle.offer(container));
    }

    private Delivery delivery(String service, byte[] tokens) {
        return new Delivery(container.version(), tokens, TokenFingerprint.of(tokens));
    }

    private void completeWaiters(ProviderSlot slot) {
        if (slot.waiters.isEmpty()) {
            return;
        }
        ServiceStatus status = slot.status();
        List<CompletableFuture<ServiceStatus>> waiting = new ArrayList<>(slot.waiters);
        slot.waiters.clear();
        waiting.forEach(waiter -> waiter.complete(status));
    }

    private static void failWaiters(ProviderSlot slot, String why) {
        List<CompletableFuture<ServiceStatus>> waiting = new ArrayList<>(slot.waiters);
        slot.waiters.clear();
        waiting.forEach(waiter -> waiter.completeExceptionally(new IllegalStateException(why)));
    }

    /** Asks a plugin for its service name, refusing (and reporting) a bad one. */
    private static String serviceNameOf(java.util.concurrent.Callable<String> name, String kind, String origin) {
        try {
            return ServiceNames.validate(name.call());
        } catch (Exception e) {
            LOG.error("Ignoring {} {}: {}", kind, origin, Errors.describe(e));
            return null;
        }
    }

    /** What one obtain came to: tokens, not required, or an error. */
    private record Outcome(ObtainedTokens tokens, String error) {
        static final Outcome NOT_REQUIRED = new Outcome(null, null);

        static Outcome obtained(ObtainedTokens tokens) {
            return tokens == null ? failed("the provider returned no tokens (null)") : new Outcome(tokens, null);
        }

        static Outcome failed(String error) {
            return new Outcome(null, error);
        }
    }
}
