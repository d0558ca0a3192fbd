package io.tokenhost.host.core;

import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.api.ReceiverStatus;
import io.tokenhost.api.TokenFingerprint;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.distribution.TokenContainerListener;
import io.tokenhost.api.telemetry.TokenEvents;
import io.tokenhost.host.core.ReceiverHandle.Delivery;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token container and everyone it is delivered to. Every change makes a new container version,
 * offered to the changed service's receivers ({@link ReceiverHandle}) and to every container
 * listener ({@link ListenerHandle}, e.g. the remote manager pushing to workers). A receiver or
 * listener that appears is offered what there is at once. Thread-safe; plugin code runs on the
 * delivery executor, never under this object's lock.
 */
final class TokenDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(TokenDelivery.class);

    private final Clock clock;
    private final Executor executor;
    private final TokenEvents events;
    private final Map<String, List<ReceiverHandle>> receivers = new TreeMap<>();
    private final List<ListenerHandle> listeners = new ArrayList<>();
    private TokenContainer container = TokenContainer.empty();
    private boolean closed;

    /** @param executor must run tasks on other threads, never inline */
    TokenDelivery(Clock clock, Executor executor) {
        this(clock, executor, new TokenEvents() { });
    }

    /** @param events told of every receiver call and every withdrawal */
    TokenDelivery(Clock clock, Executor executor, TokenEvents events) {
        this.clock = clock;
        this.executor = executor;
        this.events = events;
    }

    /** The current container (immutable). */
    synchronized TokenContainer container() {
        return container;
    }

    /**
     * Puts a service's new tokens in force, with their valid-until if the provider gave one (it
     * travels with the container to workers). @return the new container version
     */
    synchronized long put(String service, byte[] tokens, Optional<Instant> validUntil) {
        long next = container.version() + 1;
        container = validUntil.isPresent() ? container.with(next, service, tokens, validUntil.get())
                : container.with(next, service, tokens);
        offerToReceivers(service);
        offerToListeners();
        return container.version();
    }

    /** Takes a service's tokens out, if the container holds any. @return the new container version, if any */
    synchronized OptionalLong withdraw(String service) {
        if (container.tokens(service).isEmpty()) {
            return OptionalLong.empty();
        }
        container = container.without(container.version() + 1, service);
        offerToReceivers(service);
        offerToListeners();
        events.withdrawn(service, container.version());
        return OptionalLong.of(container.version());
    }

    /**
     * Puts a container received from a remote manager in force: services whose bytes changed are
     * delivered to their receivers, services missing from it are withdrawn, others are left alone.
     * Its version replaces the local one (a restarted manager may count from 1 again).
     *
     * @return false if this delivery is closed and ignored it
     */
    synchronized boolean applyRemote(TokenContainer received) {
        if (closed) {
            return false;
        }
        TokenContainer previous = container;
        container = received;
        TreeSet<String> services = new TreeSet<>(previous.services());
        services.addAll(received.services());
        int changed = 0;
        for (String service : services) {
            if (!Arrays.equals(previous.tokens(service).orElse(null), received.tokens(service).orElse(null))) {
                offerToReceivers(service);
                changed++;
            }
        }
        LOG.info("Applied remote container version {} (was {}): {} of {} services changed", received.version(),
                previous.version(), changed, services.size());
        offerToListeners();
        return true;
    }

    /**
     * Withdraws one service received from a remote manager whose tokens expired before a newer
     * container renewed them. The container keeps the manager's version (it still names the
     * manager's container, less what expired here); receivers are told of the withdrawal.
     *
     * @return false if this delivery is closed or holds no tokens for the service
     */
    synchronized boolean expireRemote(String service) {
        if (closed || container.tokens(service).isEmpty()) {
            return false;
        }
        container = without(container, Set.of(service));
        offerToReceivers(service);
        offerToListeners();
        events.withdrawn(service, container.version());
        return true;
    }

    /** {@code container} less some services, at the same version. */
    static TokenContainer without(TokenContainer container, Set<String> services) {
        if (services.isEmpty()) {
            return container;
        }
        Map<String, byte[]> tokens = new TreeMap<>();
        Map<String, Instant> validUntil = new TreeMap<>();
        for (String service : container.services()) {
            if (!services.contains(service)) {
                tokens.put(service, container.tokens(service).orElseThrow());
                container.validUntil(service).ifPresent(until -> validUntil.put(service, until));
            }
        }
        return TokenContainer.of(container.version(), tokens, validUntil);
    }

    synchronized void addReceiver(DelegationTokenReceiver receiver, String service, String origin) {
        ReceiverHandle handle = new ReceiverHandle(receiver, service, origin, executor, clock, events);
        receivers.computeIfAbsent(service, s -> new ArrayList<>()).add(handle);
        container.tokens(service).ifPresent(tokens -> handle.offer(deliveryOf(tokens)));
    }

    synchronized void removeReceiver(DelegationTokenReceiver receiver) {
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

    /** Adds a listener; it is offered the current container at once unless none was obtained yet. */
    synchronized void addListener(TokenContainerListener listener, String origin) {
        ListenerHandle handle = new ListenerHandle(listener, origin, executor);
        listeners.add(handle);
        if (container.version() > 0) {
            handle.offer(container);
        }
    }

    synchronized void removeListener(TokenContainerListener listener) {
        listeners.removeIf(handle -> {
            if (handle.listener == listener) {
                handle.close();
                return true;
            }
            return false;
        });
    }

    /** Every receiver's status, by service name and origin. */
    List<ReceiverStatus> receiverStatuses() {
        List<ReceiverHandle> handles = new ArrayList<>();
        synchronized (this) {
            receivers.values().forEach(handles::addAll);
        }
        return handles.stream().map(ReceiverHandle::status)
                .sorted(Comparator.comparing(ReceiverStatus::serviceName).thenComparing(ReceiverStatus::origin))
                .toList();
    }

    /** Stops every delivery not yet started; later remote containers are ignored. */
    synchronized void close() {
        closed = true;
        receivers.values().forEach(handles -> handles.forEach(ReceiverHandle::close));
        listeners.forEach(ListenerHandle::close);
    }

    private void offerToReceivers(String service) {
        Delivery delivery = container.tokens(service)
                .map(this::deliveryOf)
                .orElseGet(() -> new Delivery(container.version(), null, null));
        receivers.getOrDefault(service, List.of()).forEach(handle -> handle.offer(delivery));
    }

    private void offerToListeners() {
        listeners.forEach(handle -> handle.offer(container));
    }

    private Delivery deliveryOf(byte[] tokens) {
        return new Delivery(container.version(), tokens, TokenFingerprint.of(tokens));
    }
}
