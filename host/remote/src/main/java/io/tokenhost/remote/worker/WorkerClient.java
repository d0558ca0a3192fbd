package io.tokenhost.remote.worker;

import io.tokenhost.host.common.MessageSanitiser;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.remote.wire.DistributionProtocol;
import io.tokenhost.remote.wire.Frames;
import io.tokenhost.remote.wire.MalformedFrameException;
import io.tokenhost.remote.wire.ManagerFrame;
import io.tokenhost.remote.wire.TransportLogging;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's end: subscribes to the manager, applies every pushed container through {@code sink},
 * acknowledges it, and on any loss reconnects with {@link Backoff}. Between connections the host
 * keeps its last good tokens (nothing is withdrawn for a lost manager; the host withdraws tokens only
 * once they expire). A malformed frame is refused
 * and logged without its content; the stream is then dropped and re-established.
 *
 * <p>With several managers (high availability) the worker subscribes to one at a time: a standby
 * ends the stream naming the leader, which is tried next if it is one of the configured addresses;
 * otherwise the addresses are tried in turn. The backoff grows only after a whole round of
 * addresses failed, and an answer from a standby (a manager that is up) resets it, so a worker
 * finds a new leader within about {@code reconnect.backoff} of its election. A manager welcoming
 * with a leader epoch below the highest leader epoch applied here (the fence, persisted with the
 * last container) is a deposed leader: nothing of it is applied and the next manager is tried.
 *
 * <p>Once a leader welcomed it, the worker also keeps a <em>pre-held</em> stream open to every
 * other configured manager (hello flag {@link Frames#FLAG_HOLD}): a standby holds it, silent, while
 * it stands by. The one elected welcomes it and pushes over it; the worker then takes that stream
 * as the one in force if its leader epoch is at least the fence and higher than that of the stream
 * in force (or none is connected), so a failover costs no new connection. Containers are applied
 * only from the stream in force. After losing its leader the worker goes to the next manager as
 * before, using the stream it holds there instead of a new connection (and holding one at every
 * other manager again, so whichever is elected next welcomes it), and gives it up (keeping it
 * held) if no leader welcomed it within {@value #HOLD_PATIENCE_MILLIS} ms.
 */
public final class WorkerClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerClient.class);

    private final ConnectionOptions connection;
    private final Consumer<TokenContainer> sink;
    private final AfterApply afterApply;
    private final Backoff backoff;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    /** How long the worker waits on a pre-held stream it took after losing its leader before trying elsewhere. */
    static final long HOLD_PATIENCE_MILLIS = 20_000;
    /** A pre-held stream that lived this long was held: its reconnect backoff starts again. */
    private static final long HELD_LIVED_NANOS = 10_000_000_000L;

    private ManagedChannel channel;
    private StreamObserver<byte[]> requests;
    /** The stream in force or being opened (its {@link Stream}); null between attempts. */
    private Object attempt;
    /** Pre-held streams, by index of the manager. */
    private final java.util.Map<Integer, Stream> held = new java.util.HashMap<>();
    /** Per manager: the reconnect backoff of its pre-held stream and the scheduled reopening. */
    private final java.util.Map<Integer, Backoff> heldBackoff = new java.util.HashMap<>();
    private final java.util.Map<Integer, ScheduledFuture<?>> heldRetry = new java.util.HashMap<>();
    private ScheduledFuture<?> retry;
    private boolean closed;

    private boolean connected;
    private Instant connectedSince;
    /** Index into the configured managers of the one connected to or tried next. */
    private int target;
    /** Failed attempts since the last welcome or standby answer. */
    private int failuresInRow;
    private long epoch;
    private boolean leaderEpoch;
    /** The highest leader epoch applied (persisted); 0: none. */
    private long fence;
    /** The leader the last standby named, if any: if it does not take this worker either, the next hello asks to wait. */
    private ManagerAddress namedLeader;
    /** The next hello asks a standby to hold the stream until a leader is known. */
    private boolean waitForLeader;
    private long lastVersion;
    private Instant lastReceived;
    private String lastError;
    private Instant nextAttempt;
    private long applied;
    private long refused;

    /**
     * @param sink applies a received container (the host's {@code TokenContainerSink})
     * @param backoff the delays between reconnect attempts
     * @param scheduler runs the reconnect attempts
     */
    public WorkerClient(ConnectionOptions connection, Consumer<TokenContainer> sink, Backoff backoff,
            ScheduledExecutorService scheduler, Clock clock) {
        this(connection, sink, (container, epoch, fence) -> { }, 0, backoff, scheduler, clock);
    }

    /**
     * @param afterApply told of every container after {@code sink} applied it and before it is
     *     acknowledged, with the manager's epoch and the fence (the host saves them to its {@link
     *     LastContainerFile})
     * @param fence the highest leader epoch applied before (restored from the saved container), 0: none
     */
    public WorkerClient(ConnectionOptions connection, Consumer<TokenContainer> sink, AfterApply afterApply, long fence,
            Backoff backoff, ScheduledExecutorService scheduler, Clock clock) {
        this.connection = connection;
        this.sink = sink;
        this.afterApply = afterApply;
        this.fence = fence;
        this.backoff = backoff;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** Told of every applied container, before it is acknowledged. */
    @FunctionalInterface
    public interface AfterApply {
        /** @param fence the highest leader epoch applied, this one included (0: none) */
        void applied(TokenContainer container, long managerEpoch, long fence);
    }

    private ManagerAddress current() {
        return connection.managers().get(target);
    }

    public void start() {
        TransportLogging.quiet();
        if (connection.tls().isEmpty()) {
            LOG.warn("INSECURE: worker '{}' connects to the manager(s) at {} WITHOUT TLS: tokens travel in the clear."
                    + " Use this only in tests (key insecure=true)", connection.workerId(), connection.address());
        }
        connect();
    }

    public synchronized ManagerLinkStatus status() {
        return new ManagerLinkStatus(connection.address(), connection.workerId(), connected,
                Optional.ofNullable(connectedSince), lastVersion, Optional.ofNullable(lastReceived), Optional.ofNullable(lastError),
                Optional.ofNullable(nextAttempt), applied, refused, current().toString(),
                connected && leaderEpoch ? Optional.of(epoch) : Optional.empty(), fence);
    }

    /** One subscription stream to one manager, on its own channel; its identity tells its callbacks apart. */
    private static final class Stream {
        final int index;
        final ManagedChannel channel;
        final long openedNanos = System.nanoTime();
        StreamObserver<byte[]> requests;

        Stream(int index, ManagedChannel channel) {
            this.index = index;
            this.channel = channel;
        }
    }

    private synchronized void connect() {
        if (closed) {
            return;
        }
        nextAttempt = null;
        retry = null;
        if (channel != null) {
            channel.shutdownNow();
        }
        Stream heldThere = held.remove(target);
        if (heldThere != null) {
            // a stream is held at this manager already: wait on it instead of a new connection
            channel = heldThere.channel;
            requests = heldThere.requests;
            attempt = heldThere;
            scheduler.schedule(() -> giveUp(heldThere), HOLD_PATIENCE_MILLIS, TimeUnit.MILLISECONDS);
            // the standby does not know we wait here (for it, this stream stays pre-held), so it
            // sends nobody elsewhere when another manager is elected: hold a stream at every other
            // manager too (the one just lost included), so whichever is elected welcomes us at once
            holdOthers();
            LOG.debug("Waiting for a leader on the stream held at {}", current());
            return;
        }
        Stream stream = channelTo(target);
        channel = stream.channel;
        attempt = stream; // before the call starts: it may fail at once, on this thread
        subscribe(stream, waitForLeader, false);
        requests = stream.requests;
    }

    /** A new channel to the manager at {@code index}; {@link #subscribe} starts the stream on it. */
    private Stream channelTo(int index) {
        ManagerAddress manager = connection.managers().get(index);
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(manager.host(), manager.port())
                .maxInboundMessageSize(Frames.MAX_MANAGER_FRAME)
                .flowControlWindow(1 << 20) // fixed: no BDP ping per data frame
                .keepAliveTime(connection.keepAlive().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(20, TimeUnit.SECONDS);
        connection.sharedEventLoops().ifPresent(group ->
                builder.eventLoopGroup(group).channelType(NioSocketChannel.class).directExecutor());
        connection.tls().ifPresentOrElse(builder::sslContext, builder::usePlaintext);
        return new Stream(index, builder.build());
    }

    /** Starts the subscription on the stream's channel and says hello. */
    private void subscribe(Stream stream, boolean waitForLeader, boolean hold) {
        stream.requests = ClientCalls.asyncBidiStreamingCall(
                stream.channel.newCall(DistributionProtocol.SUBSCRIBE, CallOptions.DEFAULT), new Responses(stream));
        stream.requests.onNext(Frames.hello(connection.workerId(), waitForLeader, hold));
    }

    /**
     * After a leader welcomed this worker: opens a pre-held stream to every other manager that has
     * none, {@code reconnect.backoff} (jittered) later, so that the leader's first push and its
     * acknowledgement go first and thousands of workers welcomed together do not connect at once.
     */
    private synchronized void holdOthers() {
        for (int i = 0; i < connection.managers().size(); i++) {
            if (i != target && !held.containsKey(i) && !heldRetry.containsKey(i)) {
                int index = i;
                heldRetry.put(i, scheduler.schedule(() -> hold(index), backoff.first().toMillis(), TimeUnit.MILLISECONDS));
            }
        }
    }

    private synchronized void hold(int index) {
        heldRetry.remove(index);
        if (closed || held.containsKey(index) || (attempt != null && target == index)) {
            return;
        }
        Stream stream = channelTo(index);
        held.put(index, stream); // before the call starts: it may fail at once, on this thread
        subscribe(stream, false, true);
    }

    /** A pre-held stream ended or was refused: open it again after its own backoff. */
    private void holdAgain(Stream stream) {
        stream.channel.shutdownNow();
        Backoff b = heldBackoff.computeIfAbsent(stream.index, i -> backoff.fresh());
        if (System.nanoTime() - stream.openedNanos >= HELD_LIVED_NANOS) {
            b.reset();
        }
        Duration delay = b.next();
        heldRetry.put(stream.index, scheduler.schedule(() -> hold(stream.index), delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** No leader welcomed this worker on the held stream it waits on: keep it held, try the next manager. */
    private void giveUp(Stream waitedOn) {
        synchronized (this) {
            if (closed || attempt != waitedOn || connected) {
                return;
            }
            attempt = null;
            channel = null;
            held.put(waitedOn.index, waitedOn);
            lastError = "no leader welcomed this worker at " + current() + " within " + HOLD_PATIENCE_MILLIS + " ms";
            Duration delay = nextTarget(Optional.empty(), false, false);
            nextAttempt = clock.instant().plus(delay);
            retry = scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.debug("No leader on the stream held at {}; trying {}", connection.managers().get(waitedOn.index), current());
    }

    /** A pre-held stream of this client (not the one in force), or null. */
    private Stream heldStream(Object from) {
        return from instanceof Stream s && held.get(s.index) == s ? s : null;
    }

    /** One subscription's responses; ignored once a newer attempt replaced it. */
    private final class Responses implements StreamObserver<byte[]> {
        private final Object mine;

        Responses(Object mine) {
            this.mine = mine;
        }

        @Override
        public void onNext(byte[] bytes) {
            ManagerFrame frame;
            try {
                frame = Frames.parseManagerFrame(bytes);
            } catch (MalformedFrameException e) {
                synchronized (WorkerClient.this) {
                    refused++;
                }
                LOG.warn("Refused a malformed frame from the manager at {}: {}; keeping the current tokens",
                        connection.address(), MessageSanitiser.sanitise(e.getMessage()));
                return;
            }
            // ManagerFrame is sealed: these are all its kinds (a switch with patterns needs Java 21)
            if (frame instanceof ManagerFrame.Welcome welcome) {
                welcomed(mine, welcome.epoch(), welcome.leaderEpoch());
            } else if (frame instanceof ManagerFrame.Push push) {
                received(mine, push);
            }
        }

        @Override
        public void onError(Throwable t) {
            Metadata trailers = Status.trailersFromThrowable(t);
            lost(mine, Status.fromThrowable(t), trailers == null ? null : trailers.get(DistributionProtocol.LEADER));
        }

        @Override
        public void onCompleted() {
            lost(mine, Status.UNAVAILABLE.withDescription("the manager ended the stream"), null);
        }
    }

    private void welcomed(Object from, long managerEpoch, boolean isLeaderEpoch) {
        String fenced = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            Stream h = heldStream(from);
            if (h != null) {
                if (!isLeaderEpoch || managerEpoch < fence || (connected && leaderEpoch && managerEpoch <= epoch)) {
                    // not a leader newer than the one in force: drop it, hold it again later
                    held.remove(h.index);
                    holdAgain(h);
                    if (isLeaderEpoch && managerEpoch < fence) {
                        lastError = "the manager at " + connection.managers().get(h.index) + " leads under epoch "
                                + managerEpoch + ", older than epoch " + fence + " applied here: a deposed leader";
                        LOG.warn("Refusing {}", lastError);
                    }
                    return;
                }
                // the manager held here was elected: its stream is the one in force from now on
                held.remove(h.index);
                if (retry != null) {
                    retry.cancel(false);
                    retry = null;
                }
                nextAttempt = null;
                if (channel != null) {
                    channel.shutdownNow();
                }
                channel = h.channel;
                requests = h.requests;
                attempt = h;
                target = h.index;
            }
            if (from != attempt) {
                return;
            }
            if (isLeaderEpoch && managerEpoch < fence) {
                fenced = "the manager at " + current() + " leads under epoch " + managerEpoch + ", older than epoch "
                        + fence + " applied here: a deposed leader";
            } else {
                connected = true;
                connectedSince = clock.instant();
                lastError = null;
                if (managerEpoch != epoch && epoch != 0) {
                    info(isLeaderEpoch ? "The manager at {} leads under epoch " + managerEpoch
                            + "; its next container replaces ours" : "The manager at {} restarted (new epoch); its next"
                            + " container replaces ours", current());
                }
                epoch = managerEpoch;
                leaderEpoch = isLeaderEpoch;
                failuresInRow = 0;
                namedLeader = null;
                waitForLeader = false;
                backoff.reset();
            }
        }
        if (fenced != null) {
            LOG.warn("Refusing {}; trying the next manager", fenced);
            lost(from, Status.FAILED_PRECONDITION.withDescription(fenced), null);
            return;
        }
        info("Worker '{}' connected to the manager at {}{}", connection.workerId(), current(),
                isLeaderEpoch ? " (leader, epoch " + managerEpoch + ")" : "");
        if (isLeaderEpoch && connection.managers().size() > 1) {
            holdOthers();
        }
    }

    private void received(Object from, ManagerFrame.Push push) {
        long newFence;
        synchronized (this) {
            if (from != attempt || closed || push.epoch() != epoch || (leaderEpoch && push.epoch() < fence)) {
                return;
            }
            newFence = leaderEpoch ? Math.max(fence, push.epoch()) : fence;
        }
        TokenContainer container = push.container();
        sink.accept(container);
        afterApply.applied(container, push.epoch(), newFence);
        StreamObserver<byte[]> out;
        synchronized (this) {
            if (from != attempt || closed) {
                return;
            }
            fence = Math.max(fence, newFence);
            lastVersion = container.version();
            lastReceived = clock.instant();
            applied++;
            out = requests;
            try {
                out.onNext(Frames.ack(push.epoch(), container.version()));
            } catch (RuntimeException e) {
                // the stream broke; onError follows
            }
        }
        info("Applied container version {} from the manager ({} services) and acknowledged it", container.version(),
                container.size());
    }

    /**
     * @param leaderHint the {@link DistributionProtocol#LEADER} trailer: present when a standby
     *     ended the stream, naming the leader ("-": none known)
     */
    private void lost(Object from, Status status, String leaderHint) {
        Duration delay;
        boolean wasConnected;
        ManagerAddress lostManager;
        ManagerAddress next;
        boolean standby = leaderHint != null;
        String error;
        synchronized (this) {
            if (closed) {
                return;
            }
            Stream h = heldStream(from);
            if (h != null) {
                held.remove(h.index);
                holdAgain(h);
                LOG.debug("The stream held at {} ended ({})", connection.managers().get(h.index), status.getCode());
                return;
            }
            if (from != attempt) {
                return;
            }
            wasConnected = connected;
            connected = false;
            attempt = null;
            lostManager = current();
            lastError = status.getCode() + (status.getDescription() == null ? "" : ": " + oneLine(status.getDescription()))
                    + tlsCause(status.getCause());
            error = lastError; // (a held stream's welcome may clear the field before the lines below log it)
            delay = nextTarget(standby ? ManagerAddress.parse(leaderHint) : Optional.empty(), standby,
                    wasConnected && leaderEpoch);
            next = current();
            nextAttempt = clock.instant().plus(delay);
            retry = scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (standby) {
            if (wasConnected && connection.connectionEventsLogged()) {
                LOG.warn("The manager at {} stopped leading ({}); keeping the last good tokens (version {}); trying {}"
                        + " in {} ms", lostManager, error, lastVersion, next, delay.toMillis());
            } else {
                LOG.debug("The manager at {} does not lead ({}); trying {} in {} ms", lostManager, error, next,
                        delay.toMillis());
            }
            return;
        }
        if (!connection.connectionEventsLogged()) {
            LOG.debug("Lost the manager at {} ({}); next attempt in {} ms", lostManager, error, delay.toMillis());
        } else if (status.getCode() == Status.Code.PERMISSION_DENIED && (wasConnected || backoff.attempts() == 1)) {
            LOG.error("The manager at {} refused worker '{}' ({}); retrying in {} ms", lostManager,
                    connection.workerId(), error, delay.toMillis());
        } else if (wasConnected || backoff.attempts() == 1) {
            LOG.warn("Lost the manager at {} ({}); keeping the last good tokens (version {}); {} in {} ms",
                    lostManager, error, lastVersion, next.equals(lostManager) ? "reconnecting" : "trying " + next,
                    delay.toMillis());
        } else {
            LOG.debug("Manager at {} still unreachable ({}); next attempt at {} in {} ms", lostManager, error, next,
                    delay.toMillis());
        }
    }

    /**
     * Chooses the manager to try next and returns the delay. One manager: it, after the growing
     * backoff. Several: the leader a standby named if configured here, else the next address; the
     * backoff grows only once a whole round failed, and a standby's answer resets it.
     */
    private Duration nextTarget(Optional<ManagerAddress> leader, boolean standbyAnswered, boolean lostALeader) {
        List<ManagerAddress> managers = connection.managers();
        if (managers.size() == 1) {
            return backoff.next();
        }
        // the named leader did not take us either (down, or not leading after all), or no leader is
        // known: the next standby may hold us until there is one, instead of us asking again and again
        ManagerAddress tried = current();
        // (a leader whose stream broke without a standby's answer is most likely dead: the standby that
        // replaces it still names it until its ZooKeeper session expires)
        waitForLeader = tried.equals(namedLeader) || (standbyAnswered && leader.isEmpty())
                || (lostALeader && !standbyAnswered);
        namedLeader = standbyAnswered ? leader.filter(managers::contains).orElse(null) : namedLeader;
        if (standbyAnswered) {
            failuresInRow = 0;
            backoff.reset();
        } else {
            failuresInRow++;
        }
        int hinted = leader.map(managers::indexOf).orElse(-1);
        target = hinted >= 0 && hinted != target ? hinted : (target + 1) % managers.size();
        return failuresInRow > 0 && failuresInRow % managers.size() == 0 ? backoff.next() : backoff.first();
    }

    /** INFO, or DEBUG for a client whose connection events are not logged (benchmark). */
    private void info(String format, Object... args) {
        if (connection.connectionEventsLogged()) {
            LOG.info(format, args);
        } else {
            LOG.debug(format, args);
        }
    }

    /**
     * Why the TLS handshake failed, if it did ("TLS: No subject alternative DNS name matching localhost
     * found."): gRPC's description of a failed connection says only "io exception".
     */
    private static String tlsCause(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
                Throwable deepest = t;
                while (deepest.getCause() != null && deepest.getCause() != deepest
                        && deepest.getCause().getMessage() != null) {
                    deepest = deepest.getCause();
                }
                String message = deepest.getMessage() != null ? deepest.getMessage() : t.getMessage();
                return message == null ? "" : " (TLS: " + oneLine(message) + ")";
            }
        }
        return "";
    }

    /** A status description from the network, fit for token:manager and the log. */
    private static String oneLine(String s) {
        return MessageSanitiser.sanitise(s, 200);
    }

    @Override
    public void close() {
        ManagedChannel toClose;
        synchronized (this) {
            closed = true;
            connected = false;
            if (retry != null) {
                retry.cancel(false);
            }
            heldRetry.values().forEach(f -> f.cancel(false));
            heldRetry.clear();
            for (Stream h : held.values()) {
                try {
                    h.requests.onCompleted();
                } catch (RuntimeException e) {
                    // already broken
                }
                h.channel.shutdown();
            }
            held.clear();
            if (requests != null) {
                try {
                    requests.onCompleted();
                } catch (RuntimeException e) {
                    // already broken
                }
            }
            toClose = channel;
            channel = null;
        }
        if (toClose != null) {
            toClose.shutdown();
            try {
                if (!toClose.awaitTermination(2, TimeUnit.SECONDS)) {
                    toClose.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                toClose.shutdownNow();
            }
        }
    }
}
