package io.tokenhost.host.core;

import io.tokenhost.api.TokenFingerprint;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.host.core.ReceivedService.State;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a worker: the tokens received from the manager, service by service, and when each expires.
 * Every received container goes through {@link #apply}. A service whose tokens have a valid-until
 * is watched: if that instant comes before a newer container renewed them, they are withdrawn
 * from the receivers ({@link TokenDelivery#expireRemote}), the service shows {@link State#EXPIRED}
 * and one ERROR says so. Tokens that arrive already expired (this host's clock ahead of the
 * manager's) are never delivered. A later container with valid tokens for the service delivers
 * them again.
 *
 * <p>Not thread-safe on its own: callers hold {@code lock}, the manager's one lock, which the
 * expiry tasks take too.
 */
final class ReceivedTokens {

    private static final Logger LOG = LoggerFactory.getLogger(ReceivedTokens.class);

    private final Object lock;
    private final Clock clock;
    private final TaskTimer timer;
    private final TokenDelivery delivery;
    private final Map<String, Entry> entries = new TreeMap<>();
    private long lastVersion;
    private Instant lastApplied;
    private boolean closed;

    ReceivedTokens(Object lock, Clock clock, TaskTimer timer, TokenDelivery delivery) {
        this.lock = lock;
        this.clock = clock;
        this.timer = timer;
        this.delivery = delivery;
    }

    /**
     * Puts a container received from the manager in force, less the services whose tokens already
     * expired, and watches the expiry of the rest.
     *
     * @return false if closed and nothing was applied
     */
    boolean apply(TokenContainer received) {
        if (closed) {
            return false;
        }
        Instant now = clock.instant();
        Set<String> services = received.services();
        Set<String> expired = new TreeSet<>();
        for (String service : services) {
            if (received.validUntil(service).filter(until -> !until.isAfter(now)).isPresent()) {
                expired.add(service);
            }
        }
        if (!delivery.applyRemote(TokenDelivery.without(received, expired))) {
            return false;
        }
        lastVersion = received.version();
        lastApplied = now;
        for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Entry> gone = it.next();
            if (!services.contains(gone.getKey())) {
                gone.getValue().cancelWatch(); // withdrawn by the manager itself
                it.remove();
            }
        }
        for (String service : services) {
            Entry previous = entries.get(service);
            Entry entry = new Entry(service, received, now);
            if (previous != null) {
                previous.cancelWatch();
            }
            if (expired.contains(service)) {
                arrivedExpired(entry, previous);
            } else {
                entry.validUntil.ifPresent(until -> watch(entry, until));
                if (previous != null && previous.state == State.EXPIRED) {
                    LOG.info("Tokens of '{}' are valid again: container version {} brought new ones{}; delivered to"
                            + " receivers", service, received.version(),
                            entry.validUntil.map(until -> ", valid until " + until).orElse(""));
                }
            }
            entries.put(service, entry);
        }
        return true;
    }

    /** Every received service, by name. */
    List<ReceivedService> statuses() {
        return entries.values().stream().map(Entry::status).toList();
    }

    /** Calls off every expiry watch; later containers are ignored. */
    void close() {
        closed = true;
        entries.values().forEach(Entry::cancelWatch);
    }

    private void arrivedExpired(Entry entry, Entry previous) {
        Instant until = entry.validUntil.orElseThrow();
        boolean sameTokens = previous != null && previous.fingerprint.equals(entry.fingerprint)
                && previous.validUntil.equals(entry.validUntil);
        if (sameTokens && previous.state == State.EXPIRED) {
            entry.state = State.EXPIRED; // already reported
        } else if (sameTokens) {
            expired(entry); // the tokens held came again just as they expired
        } else {
            entry.state = State.EXPIRED;
            LOG.error("Tokens of '{}' in container version {} from the manager expired at {}, before they arrived"
                    + " (now {}; is this host's clock ahead of the manager's?): not delivered to receivers",
                    entry.service, entry.containerVersion, until, entry.received);
        }
    }

    private void watch(Entry entry, Instant until) {
        entry.watch = timer.schedule(until, () -> {
            synchronized (lock) {
                if (closed || entries.get(entry.service) != entry || entry.state == State.EXPIRED) {
                    return; // replaced by a newer container meanwhile
                }
                if (clock.instant().isBefore(until)) {
                    watch(entry, until);
                    return;
                }
                delivery.expireRemote(entry.service);
                expired(entry);
            }
        });
    }

    private void expired(Entry entry) {
        entry.state = State.EXPIRED;
        LOG.error("Tokens of '{}' expired at {} and no newer container came from the manager (the last one applied"
                + " here: version {} at {}): withdrawn from receivers", entry.service, entry.validUntil.orElseThrow(),
                lastVersion, lastApplied);
    }

    /** One received service. */
    private static final class Entry {
        final String service;
        final long containerVersion;
        final Instant received;
        final Optional<Instant> validUntil;
        final String fingerprint;
        final int tokenBytes;
        State state = State.VALID;
        TaskTimer.Cancellable watch;

        Entry(String service, TokenContainer container, Instant received) {
            byte[] tokens = container.tokens(service).orElseThrow();
            this.service = service;
            this.containerVersion = container.version();
            this.received = received;
            this.validUntil = container.validUntil(service);
            this.fingerprint = TokenFingerprint.of(tokens);
            this.tokenBytes = tokens.length;
        }

        void cancelWatch() {
            if (watch != null) {
                watch.cancel();
                watch = null;
            }
        }

        ReceivedService status() {
            boolean valid = state == State.VALID;
            return new ReceivedService(service, state, containerVersion, received, validUntil,
                    valid ? Optional.of(fingerprint) : Optional.empty(), valid ? tokenBytes : 0);
        }
    }
}
