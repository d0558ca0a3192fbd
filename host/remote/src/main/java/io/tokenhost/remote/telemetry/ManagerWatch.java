package io.tokenhost.remote.telemetry;

import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.distribution.TokenContainerListener;
import io.tokenhost.api.telemetry.ManagerTelemetry;
import io.tokenhost.api.telemetry.TokenEvents;
import io.tokenhost.remote.manager.ManagerServer;
import io.tokenhost.remote.manager.WorkerInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between the token manager and the {@link ManagerServer}: every container it passes on is
 * a push, timed until every worker connected at the push acknowledged it (or a newer version), and
 * then reported once ({@link TokenEvents#containerAcknowledged}) and written to the audit log, with
 * counts, never one line per worker. Answers {@link ManagerTelemetry} from the server's workers.
 * On a manager of several ({@link #elected}) only the leader's containers count as pushes: a
 * standby's server pushes nothing, and a new term forgets the pushes of the last one.
 *
 * <p>Cost per acknowledgement is constant; the counts that walk the workers run only when asked
 * (a scrape).
 */
public final class ManagerWatch implements TokenContainerListener, ManagerTelemetry {

    private static final Logger AUDIT = LoggerFactory.getLogger("tokenhost.audit");
    /** Push times kept for the oldest-unacknowledged age; older ones are dropped. */
    private static final int MAX_PUSHES = 1024;
    /** The role names of a manager of several. */
    public static final String LEADER = "leader";
    public static final String STANDBY = "standby";

    private final ManagerServer server;
    private final Clock clock;
    private final TokenEvents events;
    private final Supplier<String> role;
    private final BooleanSupplier standby;
    /** Push time by container version, for versions some connected worker may still lack. */
    private final TreeMap<Long, Instant> pushes = new TreeMap<>();
    private Pending pending;

    /** A manager on its own: always leads. @param role the role name reported: {@code manager} */
    public ManagerWatch(ManagerServer server, Clock clock, TokenEvents events, String role) {
        this(server, clock, events, () -> role, () -> false);
    }

    /**
     * The role and whether this manager is a standby are asked at every scrape and {@code /ready} (a
     * standby's {@code /ready} answers 429).
     */
    public ManagerWatch(ManagerServer server, Clock clock, TokenEvents events, Supplier<String> role,
            BooleanSupplier standby) {
        this.server = server;
        this.clock = clock;
        this.events = events;
        this.role = role;
        this.standby = standby;
    }

    /**
     * One of several managers (high availability): {@code leader} while the server's term leads,
     * {@code standby} otherwise (also before the first election). Call {@link #newTerm()} on every
     * change of term.
     */
    public static ManagerWatch elected(ManagerServer server, Clock clock, TokenEvents events) {
        return new ManagerWatch(server, clock, events, () -> server.term().leading() ? LEADER : STANDBY,
                () -> !server.term().leading());
    }

    /**
     * The server's term changed (elected, or standing by): what was pushed in the old term is
     * forgotten, so that no push of a deposed term is timed or counted as behind.
     */
    public synchronized void newTerm() {
        pushes.clear();
        pending = null;
    }

    @Override
    public void onContainer(TokenContainer container) {
        if (!server.term().leading()) {
            server.onContainer(container); // a standby pushes nothing: neither a push nor an audit line
            return;
        }
        Instant now = clock.instant();
        int workers = server.connectedWorkers();
        // after a live access-policy change the workers get (and acknowledge) a higher version than
        // the container's own: time and report the version they get
        long version = server.wireVersion(container.version());
        synchronized (this) { // before the push: on loopback the first acknowledgement can beat the next line
            pushes.put(version, now);
            while (pushes.size() > MAX_PUSHES) {
                pushes.pollFirstEntry();
            }
            pending = workers == 0 ? null : new Pending(version, now, workers);
        }
        server.onContainer(container);
        if (server.currentVersion() != version) { // the term (or the policy) changed meanwhile: not this push
            synchronized (this) {
                pushes.remove(version);
                if (pending != null && pending.version == version) {
                    pending = null;
                }
            }
            return;
        }
        events.containerPushed(version, workers);
        AUDIT.atInfo().addKeyValue("event", "container_pushed").addKeyValue("version", version)
                .addKeyValue("services", container.services().size()).addKeyValue("workers", workers)
                .log("container pushed");
    }

    /**
     * A worker acknowledged a version: feed this from {@link ManagerServer#onAcknowledgement} (which
     * takes one observer, so the caller may combine it with its own).
     */
    public void acknowledged(long version) {
        Pending done = null;
        synchronized (this) {
            if (pending != null && version >= pending.version && --pending.remaining <= 0) {
                done = pending;
                pending = null;
            }
        }
        if (done != null) {
            complete(done, done.workers);
        }
    }

    private void complete(Pending done, int workers) {
        Duration took = Duration.between(done.pushedAt, clock.instant());
        events.containerAcknowledged(done.version, workers, took);
        AUDIT.atInfo().addKeyValue("event", "container_acknowledged").addKeyValue("version", done.version)
                .addKeyValue("workers", workers).addKeyValue("duration_seconds", took.toMillis() / 1000.0)
                .log("container acknowledged by every worker");
    }

    /** The server it stands in front of. */
    public ManagerServer server() {
        return server;
    }

    @Override
    public String role() {
        return role.get();
    }

    @Override
    public boolean standby() {
        return standby.getAsBoolean();
    }

    @Override
    public int workersConnected() {
        return server.connectedWorkers();
    }

    @Override
    public int workersBehind() {
        long current = server.currentVersion();
        return (int) server.workers().stream().filter(w -> w.connected() && w.ackedVersion() < current).count();
    }

    /**
     * Also completes a push whose remaining workers left without acknowledging it: every worker still
     * connected has it, so it counts as acknowledged by those.
     */
    @Override
    public Optional<Duration> oldestUnacknowledged() {
        long current = server.currentVersion();
        long minAcked = server.workers().stream().filter(WorkerInfo::connected).mapToLong(WorkerInfo::ackedVersion)
                .min().orElse(current);
        Pending done = null;
        int connected = server.connectedWorkers();
        Optional<Duration> age;
        synchronized (this) {
            pushes.headMap(minAcked, true).clear();
            if (pending != null && minAcked >= pending.version) {
                done = pending;
                pending = null;
            }
            Map.Entry<Long, Instant> oldest = minAcked >= current ? null : pushes.firstEntry();
            age = Optional.ofNullable(oldest).map(e -> Duration.between(e.getValue(), clock.instant()));
        }
        if (done != null) {
            complete(done, connected);
        }
        return age;
    }

    private static final class Pending {
        final long version;
        final Instant pushedAt;
        final int workers;
        int remaining;

        Pending(long version, Instant pushedAt, int workers) {
            this.version = version;
            this.pushedAt = pushedAt;
            this.workers = workers;
            this.remaining = workers;
        }
    }
}
