package io.tokenhost.remote.manager;

import io.tokenhost.remote.logging.LogBudget;
import io.tokenhost.remote.logging.Refusals;
import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerTransportFilter;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.distribution.TokenContainerListener;
import io.tokenhost.remote.access.AccessPolicy;
import io.tokenhost.remote.tls.RevocationList;
import io.tokenhost.remote.tls.CertificateNames;
import io.tokenhost.remote.wire.DistributionProtocol;
import io.tokenhost.remote.wire.Frames;
import io.tokenhost.remote.wire.TransportLogging;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.ObjLongConsumer;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's end: a gRPC server that every worker subscribes to. It is a {@link
 * TokenContainerListener}: each new container is encoded once and offered to every worker's
 * session, which holds only the newest one (see {@link WorkerSession}). A worker that subscribes
 * gets the current container at once; every acknowledgement is recorded per worker.
 *
 * <p>A standalone manager always leads, under an epoch chosen at random. One of several managers
 * (high availability) starts {@linkplain #standby not leading}: it refuses every worker (naming the
 * leader it knows of), pushes nothing, until the election makes it {@link #leading(long)} under a
 * leader epoch; {@link #standingBy} closes every worker's stream at once. Meanwhile it holds the
 * streams workers ask it to ({@linkplain #hold pre-held}, or {@linkplain #park waiting} for a leader)
 * and welcomes them all when elected.
 */
public final class ManagerServer implements TokenContainerListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagerServer.class);
    /** How many departed workers {@link #departedWorkers()} remembers. */
    public static final int MAX_DEPARTED = 10_000;
    private static final Context.Key<String> PEER_ADDRESS = Context.key("tokenhost-peer-address");
    private static final Context.Key<String> PEER_SUBJECT = Context.key("tokenhost-peer-subject");
    /** The CN of the peer's certificate; "" when it has no single CN; null without TLS. */
    private static final Context.Key<String> PEER_CN = Context.key("tokenhost-peer-cn");
    /** The peer's certificate; null without TLS. */
    private static final Context.Key<X509Certificate> PEER_CERTIFICATE = Context.key("tokenhost-peer-certificate");
    /** Refused worker-id claims and replaced connections logged per minute, at most. */
    static final int MAX_LOGGED_PER_MINUTE = 10;
    /** A worker says hello right after opening its stream; a stream silent this long is closed. */
    static final java.time.Duration HELLO_TIMEOUT = java.time.Duration.ofSeconds(5);
    /** {@link #HELLO_TIMEOUT}, shorter in tests. */
    private volatile java.time.Duration helloTimeout = HELLO_TIMEOUT;

    private final InetSocketAddress listen;
    private final Optional<SslContext> tls;
    private final boolean workerIdMustBeCertificateCn;
    private final Clock clock;
    /** Refusals of this bundle, counted and logged through one shared budget. */
    private final Refusals refusals;
    private final LogBudget replacementLog;
    private volatile Term term;
    /**
     * Workers a standby holds (they asked to wait for a leader), until it leads, learns of another
     * leader, or {@link #PARK_LIMIT} passed; guarded by {@link #departed}.
     */
    private final java.util.Set<WorkerSession> parked = new java.util.LinkedHashSet<>();
    /** How long a standby holds a waiting worker at most (tests use a shorter {@link #parkLimitMillis}). */
    static final long PARK_LIMIT_MILLIS = 20_000;
    private final long parkLimitMillis;
    /**
     * Pre-held streams (hello flag <em>hold</em>): a standby holds them for as long as it stands by
     * (gRPC keepalive keeps them open) and welcomes them all when elected; guarded by {@link #departed}.
     */
    private final java.util.Set<WorkerSession> held = new java.util.LinkedHashSet<>();
    /** How many pre-held streams a standby holds at most; more are refused as usual (naming the leader). */
    public static final int MAX_HELD = 50_000;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong sessionIds = new AtomicLong();
    private final Map<Long, WorkerSession> sessions = new ConcurrentHashMap<>();
    /** The live session of every worker id; guarded by {@link #departed}, like the sessions map's changes. */
    private final Map<String, WorkerSession> byWorkerId = new java.util.HashMap<>();
    /** Workers that disconnected and have not come back, by id, oldest first; bounded. */
    private final Map<String, WorkerInfo> departed = new java.util.LinkedHashMap<>();
    private volatile ScopedPush current;
    private volatile boolean hostStopping;
    /** Which workers may have which services; changed by {@link #accessPolicy}. Guarded by {@link #departed}. */
    private AccessPolicy policy = AccessPolicy.ALLOW_ALL;
    /** Certificates and worker ids refused; see {@link #revocations(RevocationList)}. */
    private volatile RevocationList revocations = RevocationList.NONE;
    /** How many policy changes were applied: added to the container versions sent (see {@link ScopedPush}). */
    private long policyChanges;
    private volatile java.util.function.Consumer<TokenContainer> beforePush = c -> { };
    private volatile LongConsumer ackObserver = v -> { };
    private volatile ObjLongConsumer<String> ackByWorkerObserver = (w, v) -> { };
    private Server server;
    private EventLoopGroup ioThreads;
    private EventLoopGroup acceptThread;

    /** A manager that is not listening yet: see {@link #start()}. */
    public ManagerServer(ListenOptions options, Clock clock) {
        this(options, clock, Refusals.SHARED);
    }

    /** @param refusals where refusals are counted and logged (the bundle's {@link Refusals#SHARED}, or a test's own) */
    public ManagerServer(ListenOptions options, Clock clock, Refusals refusals) {
        this(options, clock, refusals, PARK_LIMIT_MILLIS);
    }

    /** @param parkLimitMillis how long a standby holds a waiting worker at most (tests: shorter than {@value #PARK_LIMIT_MILLIS}) */
    ManagerServer(ListenOptions options, Clock clock, Refusals refusals, long parkLimitMillis) {
        this.parkLimitMillis = parkLimitMillis;
        this.refusals = refusals;
        this.listen = options.listen();
        this.tls = options.tls();
        this.workerIdMustBeCertificateCn = options.workerIdMustBeCertificateCn();
        this.clock = clock;
        this.replacementLog = new LogBudget(MAX_LOGGED_PER_MINUTE, clock);
        long e;
        do {
            e = new SecureRandom().nextLong();
        } while (e == 0);
        this.term = new Term(true, e, false, Optional.empty(), "standalone");
    }

    /**
     * Whether this manager accepts workers and pushes, and under which epoch; replaced as a whole
     * on every change, so that a session compares the one it was welcomed under.
     *
     * @param leaderEpoch the epoch is an elected leader's (workers fence older ones)
     * @param leader while not leading: the leader's address, if known
     * @param why while not leading: why (shown to workers and in token:workers)
     */
    public record Term(boolean leading, long epoch, boolean leaderEpoch, Optional<String> leader, String why) {
    }

    /** A manager of several (high availability): refuses workers until {@link #leading(long)}. */
    public static ManagerServer standby(ListenOptions options, Clock clock, String why) {
        return standby(options, clock, why, Refusals.SHARED);
    }

    /** {@link #standby(ListenOptions, Clock, String)} counting its refusals in {@code refusals} (tests). */
    static ManagerServer standby(ListenOptions options, Clock clock, String why, Refusals refusals) {
        return standby(options, clock, why, refusals, PARK_LIMIT_MILLIS);
    }

    /** A standby holding a waiting worker at most {@code parkLimitMillis} (tests: shorter than the real limit). */
    static ManagerServer standby(ListenOptions options, Clock clock, String why, Refusals refusals, long parkLimitMillis) {
        ManagerServer server = new ManagerServer(options, clock, refusals, parkLimitMillis);
        server.term = new Term(false, 0, true, Optional.empty(), why);
        return server;
    }

    /** The term in force now. */
    public Term term() {
        return term;
    }

    /**
     * Elected leader under {@code epoch} (higher than any before it): workers are accepted; containers
     * from now on are pushed. Nothing of an earlier term is pushed: the first container offered after
     * this is.
     */
    public void leading(long epoch) {
        List<WorkerSession> stale;
        List<WorkerSession> waiting;
        Term t = new Term(true, epoch, true, Optional.empty(), "leader");
        synchronized (departed) {
            term = t;
            current = null;
            stale = List.copyOf(sessions.values());
            List<WorkerSession> w = new java.util.ArrayList<>(held);
            w.addAll(parked);
            waiting = w;
            held.clear();
            parked.clear();
        }
        stale.forEach(s -> s.notLeading(Status.UNAVAILABLE.withDescription("a new leader term began"), null));
        LOG.info("Leading under epoch {}: accepting workers on port {}, welcoming the {} that waited or were held here", epoch, port(),
                waiting.size());
        waiting.forEach(s -> s.welcome(t));
    }

    /**
     * A worker asked to wait for a leader (the one it was sent to did not take it): held here, with
     * nothing sent, until this manager leads, learns of a leader, or {@value #PARK_LIMIT_MILLIS} ms
     * passed. @return false if the term changed meanwhile (the caller refuses it as usual)
     */
    boolean park(WorkerSession session, Term under) {
        synchronized (departed) {
            if (term != under || under.leading() || ioThreads == null) {
                return false;
            }
            parked.add(session);
        }
        try {
            ioThreads.schedule(() -> unpark(session), parkLimitMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            synchronized (departed) {
                parked.remove(session);
            }
            return false;
        }
        return true;
    }

    /**
     * A pre-held stream: held here, with nothing sent, for as long as this manager stands by (also
     * when it knows of a leader), until it leads. @return false if the term changed meanwhile or
     * {@value #MAX_HELD} are held already (the caller refuses it as usual)
     */
    boolean hold(WorkerSession session, Term under) {
        synchronized (departed) {
            if (term != under || under.leading() || ioThreads == null || held.size() >= MAX_HELD) {
                return false;
            }
            held.add(session);
            return true;
        }
    }

    private void unpark(WorkerSession session) {
        Term t;
        synchronized (departed) {
            if (!parked.remove(session)) {
                return;
            }
            t = term;
        }
        session.notLeading(notLeadingStatus(t), notLeadingTrailers(t));
    }

    /**
     * Not (or no longer) leading: pushes stop at once and every worker's stream ends with
     * UNAVAILABLE, naming {@code leader} if known, so that the worker goes there.
     */
    public void standingBy(String why, Optional<String> leader) {
        List<WorkerSession> toClose;
        Term t;
        synchronized (departed) {
            boolean wasLeading = term.leading();
            t = new Term(false, 0, true, leader, why);
            term = t;
            current = null;
            List<WorkerSession> closing = new java.util.ArrayList<>(sessions.values());
            if (leader.isPresent()) {
                closing.addAll(parked); // a leader is known: the waiting workers go there
                parked.clear();
            }
            toClose = closing;
            if (wasLeading) {
                LOG.warn("Not leading any more ({}): stopped pushing; closing the streams of {} workers", why,
                        toClose.size());
            }
        }
        Status status = notLeadingStatus(t);
        Metadata trailers = notLeadingTrailers(t);
        toClose.forEach(s -> s.notLeading(status, trailers));
    }

    Status notLeadingStatus(Term t) {
        return Status.UNAVAILABLE.withDescription("this manager does not lead (" + t.why() + ")"
                + t.leader().map(l -> "; the leader is " + l).orElse("; no leader known"));
    }

    Metadata notLeadingTrailers(Term t) {
        Metadata trailers = new Metadata();
        trailers.put(DistributionProtocol.LEADER, t.leader().orElse("-")); // present: "a standby answered"
        return trailers;
    }

    public synchronized ManagerServer start() throws IOException {
        TransportLogging.quiet();
        if (tls.isEmpty()) {
            LOG.warn("INSECURE: the remote manager listens on {} WITHOUT TLS: any client can read the tokens."
                    + " Use this only in tests (key insecure=true)", listen);
        }
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ioThreads = new NioEventLoopGroup(threads, new DefaultThreadFactory("tokenhost-remote-io", true));
        acceptThread = new NioEventLoopGroup(1, new DefaultThreadFactory("tokenhost-remote-accept", true));
        NettyServerBuilder builder = NettyServerBuilder.forAddress(listen)
                // one I/O thread per core: with gRPC's default (two per core) they only fight for the cores
                .bossEventLoopGroup(acceptThread)
                .workerEventLoopGroup(ioThreads)
                .channelType(NioServerSocketChannel.class)
                .maxInboundMessageSize(Frames.MAX_WORKER_FRAME)
                .maxInboundMetadataSize(8 * 1024)
                // a fixed window: no BDP pings on every data frame (they cost a round trip per worker)
                .flowControlWindow(1 << 20)
                .maxConcurrentCallsPerConnection(4) // a worker needs one stream
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .directExecutor()
                .addTransportFilter(new HandshakeFailures(refusals))
                .addTransportFilter(new ServerTransportFilter() {
                    @Override
                    public Attributes transportReady(Attributes attributes) {
                        connections.incrementAndGet();
                        return attributes;
                    }
                })
                .addService(ServerInterceptors.intercept(service(), new PeerInterceptor()));
        tls.ifPresent(builder::sslContext);
        server = builder.build().start();
        Term t = term;
        LOG.info("Remote manager listening on {}:{} ({}), {}", listen.getHostString(), port(),
                tls.isPresent() ? "mutual TLS" : "plaintext", t.leading() ? "epoch " + Long.toHexString(t.epoch())
                        : "not leading: " + t.why());
        return this;
    }

    public int port() {
        return server.getPort();
    }

    /** The epoch of the current term (0 while not leading). */
    public long epoch() {
        return term.epoch();
    }

    /** The version last offered to workers (0 before any). */
    public long currentVersion() {
        ScopedPush c = current;
        return c == null ? 0 : c.version();
    }

    /**
     * The version a container of {@code containerVersion} goes to workers under if pushed now: the
     * same, plus the policy changes applied so far (see {@link ScopedPush}). What workers acknowledge.
     */
    public long wireVersion(long containerVersion) {
        synchronized (departed) {
            return containerVersion + policyChanges;
        }
    }

    /**
     * The services of the current container that a worker may have under the policy in force (empty
     * before the first container): what {@code token:workers} shows.
     */
    public Optional<java.util.SortedSet<String>> grantedServices(String workerId) {
        ScopedPush c = current;
        return c == null ? Optional.empty() : Optional.of(c.granted(workerId));
    }

    /**
     * Puts an access policy in force: from now on each worker gets only the services it may have.
     * With a current container, every worker gets it again at once under the next version (see
     * {@link ScopedPush}), so a service a worker may no longer have is withdrawn there and one it may
     * now have is delivered.
     */
    public void accessPolicy(AccessPolicy newPolicy) {
        ScopedPush push;
        synchronized (departed) {
            if (newPolicy.equals(policy)) {
                return;
            }
            policy = newPolicy;
            ScopedPush c = current;
            if (c == null) {
                return;
            }
            policyChanges++;
            push = new ScopedPush(c.epoch(), c.container(), policyChanges, newPolicy);
            current = push;
        }
        sessions.values().forEach(session -> offerScoped(session, push));
        LOG.info("Access policy changed: container {} offered again to {} workers as version {}",
                push.container().version(), sessions.size(), push.version());
    }

    private static void offerScoped(WorkerSession session, ScopedPush push) {
        String workerId = session.workerId();
        if (workerId != null) {
            session.offer(push.outgoingFor(workerId));
        }
    }

    /** How many workers a standby holds, waiting for a leader. */
    public int waitingWorkers() {
        synchronized (departed) {
            return parked.size();
        }
    }

    /** How many pre-held streams a standby holds, to welcome when it is elected. */
    public int heldWorkers() {
        synchronized (departed) {
            return held.size();
        }
    }

    /** How many connections (TLS or plaintext transports) this manager accepted since it started. */
    public long connectionsAccepted() {
        return connections.get();
    }

    /** How many workers are connected (said hello) now. */
    public int connectedWorkers() {
        return sessions.size();
    }

    /** Connected workers, by worker id. */
    public List<WorkerInfo> workers() {
        return sessions.values().stream().map(WorkerSession::info)
                .sorted(Comparator.comparing(WorkerInfo::workerId).thenComparingLong(WorkerInfo::session)).toList();
    }

    /**
     * Workers that were connected to this manager and are gone (at most {@value #MAX_DEPARTED}, the
     * most recent), with what they had acknowledged, by worker id.
     */
    public List<WorkerInfo> departedWorkers() {
        synchronized (departed) {
            return departed.values().stream().sorted(Comparator.comparing(WorkerInfo::workerId)).toList();
        }
    }

    /** Called with the version every time a worker acknowledges a newer one (for measurements). */
    public void onAcknowledgement(LongConsumer observer) {
        this.ackObserver = observer;
    }

    /** Like {@link #onAcknowledgement(LongConsumer)}, with the worker's id (the failover benchmark). */
    public void onAcknowledgementBy(ObjLongConsumer<String> observer) {
        this.ackByWorkerObserver = observer;
    }

    /** {@link #onContainer} on a manager that does not lead: nothing is pushed. @return whether it was ignored */
    boolean onContainerIgnored(TokenContainer container) {
        if (term.leading()) {
            return false;
        }
        onContainer(container);
        return current == null;
    }

    /**
     * Called with every container before it is offered to workers (on a leading manager): the access
     * control sees its services first, so that a policy held back for an unknown service can come into
     * force before the container goes out.
     */
    public void beforeEachContainer(java.util.function.Consumer<TokenContainer> observer) {
        this.beforePush = observer;
    }

    /**
     * The whole host stops: no container is pushed any more. Its providers leave one by one as
     * their bundles stop, each leaving a smaller container; pushing those would withdraw every
     * token from every worker at each planned restart (SIGTERM, a rolling update). The workers keep
     * what they hold until a manager pushes again or it expires (they withdraw expired tokens
     * themselves).
     */
    public void hostStopping() {
        if (!hostStopping) {
            hostStopping = true;
            LOG.info("The host stops: no more containers go to the workers; they keep their tokens until a manager"
                    + " pushes again or the tokens expire");
        }
    }

    @Override
    public void onContainer(TokenContainer container) {
        if (hostStopping) {
            LOG.debug("Not pushing container version {}: the host stops", container.version());
            return;
        }
        if (term.leading()) {
            beforePush.accept(container);
        }
        Term t = term;
        if (!t.leading()) {
            LOG.debug("Not pushing container version {}: this manager does not lead", container.version());
            return;
        }
        ScopedPush push;
        synchronized (departed) {
            if (term != t) {
                return; // the term ended meanwhile
            }
            push = new ScopedPush(t.epoch(), container, policyChanges, policy);
            current = push;
        }
        sessions.values().forEach(session -> offerScoped(session, push));
        LOG.debug("Offered container version {} to {} workers", container.version(), sessions.size());
    }

    /**
     * A worker said hello. If another live connection has the same worker id, the newer one wins
     * and the older one is closed (a restarted worker must not wait until the manager notices its
     * dead connection).
     */
    void register(WorkerSession session, Term welcomedUnder) {
        WorkerSession replaced;
        synchronized (departed) {
            if (term != welcomedUnder) {
                replaced = null;
            } else {
            replaced = byWorkerId.put(session.workerId(), session);
            departed.remove(session.workerId());
            sessions.put(session.id, session);
            }
        }
        if (term != welcomedUnder) {
            Term t = term;
            session.notLeading(notLeadingStatus(t), notLeadingTrailers(t));
            return;
        }
        Optional<String> revoked = revocations.reason(session.certificate(), session.workerId());
        if (revoked.isPresent()) { // revoked between its handshake and its hello
            session.revoked(revoked.get());
            return;
        }
        if (replaced != null && replaced != session) {
            int dropped = replacementLog.take();
            if (dropped >= 0) {
                LOG.warn("Worker '{}' connected again from {}: closing its older connection from {}{}",
                        session.workerId(), session.address(), replaced.address(), LogBudget.leftOut(dropped));
            }
            replaced.replacedBy(session.address());
        }
        if (session.isClosed()) {
            unregister(session, "closed while saying hello");
            return;
        }
        ScopedPush c = current;
        if (c != null) {
            session.offer(c.outgoingFor(session.workerId()));
        }
    }

    void unregister(WorkerSession session, String why) {
        synchronized (departed) {
            if (parked.remove(session) || held.remove(session)) {
                return;
            }
            if (sessions.remove(session.id) == null) {
                return;
            }
            if (byWorkerId.remove(session.workerId(), session)) {
                // the worker has no other live connection: remember it as gone
                WorkerInfo info = session.info();
                departed.remove(info.workerId());
                departed.put(info.workerId(), info.disconnected(clock.instant()));
                if (departed.size() > MAX_DEPARTED) {
                    departed.remove(departed.keySet().iterator().next());
                }
            }
        }
        LOG.info("Worker '{}' disconnected ({}); it had acknowledged version {}", session.workerId(), why,
                session.ackedVersion());
    }

    /**
     * Puts a revocation list in force: the stream of every worker it revokes (connected, held or
     * waiting here) is closed at once with PERMISSION_DENIED, before anything more is sent on it; a
     * worker revoked while saying hello is refused by {@link #register}. New connections are refused
     * by the TLS trust manager.
     */
    public void revocations(RevocationList list) {
        revocations = list;
        List<WorkerSession> all;
        synchronized (departed) {
            all = new java.util.ArrayList<>(sessions.values());
            all.addAll(held);
            all.addAll(parked);
        }
        for (WorkerSession session : all) {
            String id = session.workerId();
            if (id != null) {
                list.reason(session.certificate(), id).ifPresent(session::revoked);
            }
        }
    }

    /** Why the revocation list in force refuses this worker, if it does. @param certificate null without TLS */
    Optional<String> revocationReason(java.security.cert.X509Certificate certificate, String workerId) {
        return revocations.reason(certificate, workerId);
    }

    /** A client with a trusted certificate claimed a worker id that is not its certificate's CN. */
    void identityRefused(String address, String subject, String claimed) {
        refusals.refused(Refusals.Kind.WORKER_ID, LOG, () -> "Refused worker id '" + claimed + "' from " + address
                + ": its client certificate's subject is " + subject + ", and a worker is accepted only under its"
                + " certificate's CN");
    }

    Refusals refusalLog() {
        return refusals;
    }

    /** A shorter hello deadline than {@link #HELLO_TIMEOUT}, for tests; before {@link #start()}. */
    ManagerServer helloTimeout(java.time.Duration timeout) {
        this.helloTimeout = timeout;
        return this;
    }

    /** Refusals since the remote bundle started, by counter name: shown by {@code token:workers}. */
    public Map<String, Long> refusals() {
        return refusals.counts();
    }

    void acknowledged(WorkerSession session, long version) {
        ackObserver.accept(version);
        ackByWorkerObserver.accept(session.workerId(), version);
    }

    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        sessions.values().forEach(WorkerSession::shutdown);
        List<WorkerSession> waiting;
        synchronized (departed) {
            waiting = new java.util.ArrayList<>(held);
            waiting.addAll(parked);
            held.clear();
            parked.clear();
        }
        waiting.forEach(WorkerSession::shutdown);
        synchronized (departed) {
            sessions.clear();
            byWorkerId.clear();
        }
        server.shutdown();
        try {
            if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                server.shutdownNow();
                server.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        server = null;
        ioThreads.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        acceptThread.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        LOG.info("Remote manager stopped");
    }

    private ServerServiceDefinition service() {
        return ServerServiceDefinition.builder(DistributionProtocol.SERVICE)
                .addMethod(DistributionProtocol.SUBSCRIBE, ServerCalls.asyncBidiStreamingCall(this::subscribe))
                .build();
    }

    private StreamObserver<byte[]> subscribe(StreamObserver<byte[]> responses) {
        WorkerSession session = new WorkerSession(sessionIds.incrementAndGet(), this,
                (ServerCallStreamObserver<byte[]>) responses, PEER_ADDRESS.get(), PEER_SUBJECT.get(), PEER_CERTIFICATE.get(),
                requiredWorkerId(), clock);
        // a stream that never says hello is closed, so it holds no session for ever; on a standby too
        // (a held or waiting stream has said its hello, so this never closes it)
        java.time.Duration deadline = helloTimeout;
        try {
            ioThreads.schedule(() -> session.helloDeadline(deadline), deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            session.shutdown();
        }
        return session;
    }

    /**
     * The id the peer must claim: its certificate's CN, or "" (matches no id) when it has none;
     * empty (any id) without TLS or for a manager {@linkplain ListenOptions#acceptingAnyWorkerId() accepting any id}.
     */
    private Optional<String> requiredWorkerId() {
        if (!workerIdMustBeCertificateCn || tls.isEmpty()) {
            return Optional.empty();
        }
        String cn = PEER_CN.get();
        return Optional.of(cn == null ? "" : cn);
    }

    /** Puts the peer's address and certificate subject where {@link #subscribe} finds them. */
    private static final class PeerInterceptor implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            String address = remote instanceof InetSocketAddress inet
                    ? inet.getAddress().getHostAddress() + ":" + inet.getPort() : String.valueOf(remote);
            SSLSession ssl = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
            X509Certificate peer = peerCertificate(ssl);
            Context context = Context.current().withValue(PEER_ADDRESS, address)
                    .withValue(PEER_SUBJECT, subject(ssl, peer))
                    .withValue(PEER_CN, peer == null ? null : CertificateNames.commonName(peer).orElse(""))
                    .withValue(PEER_CERTIFICATE, peer);
            return Contexts.interceptCall(context, call, headers, next);
        }

        private static X509Certificate peerCertificate(SSLSession session) {
            if (session == null) {
                return null;
            }
            try {
                Certificate[] chain = session.getPeerCertificates();
                return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? x509 : null;
            } catch (SSLPeerUnverifiedException e) {
                return null;
            }
        }

        private static String subject(SSLSession session, X509Certificate peer) {
            if (session == null) {
                return "(no TLS)";
            }
            return peer == null ? "(no certificate)" : peer.getSubjectX500Principal().getName();
        }
    }

}
