package io.tokenhost.remote.manager;

import io.tokenhost.remote.logging.LogBudget;
import io.tokenhost.remote.logging.Refusals;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
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
import io.tokenhost.api.distribution.TokenContainerCodec;
import io.tokenhost.api.distribution.TokenContainerListener;
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
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's end: a gRPC server that every worker subscribes to. It is a {@link
 * TokenContainerListener}: each new container is encoded once and offered to every worker's
 * session, which holds only the newest one (see {@link WorkerSession}). A worker that subscribes
 * gets the current container at once; every acknowledgement is recorded per worker.
 */
public final class ManagerServer implements TokenContainerListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagerServer.class);
    /** How many departed workers {@link #departedWorkers()} remembers. */
    public static final int MAX_DEPARTED = 10_000;
    private static final Context.Key<String> PEER_ADDRESS = Context.key("tokenhost-peer-address");
    private static final Context.Key<String> PEER_SUBJECT = Context.key("tokenhost-peer-subject");
    /** The CN of the peer's certificate; "" when it has no single CN; null without TLS. */
    private static final Context.Key<String> PEER_CN = Context.key("tokenhost-peer-cn");
    /** Refused worker-id claims and replaced connections logged per minute, at most. */
    static final int MAX_LOGGED_PER_MINUTE = 10;
    /** A worker says hello right after opening its stream; a stream silent this long is closed. */
    static final java.time.Duration HELLO_TIMEOUT = java.time.Duration.ofSeconds(5);

    private final InetSocketAddress listen;
    private final Optional<SslContext> tls;
    private final boolean workerIdMustBeCertificateCn;
    private final Clock clock;
    /** Refusals of this bundle, counted and logged through one shared budget. */
    private final Refusals refusals;
    private final LogBudget replacementLog;
    private final long epoch;
    private final AtomicLong sessionIds = new AtomicLong();
    private final Map<Long, WorkerSession> sessions = new ConcurrentHashMap<>();
    /** The live session of every worker id; guarded by {@link #departed}, like the sessions map's changes. */
    private final Map<String, WorkerSession> byWorkerId = new java.util.HashMap<>();
    /** Workers that disconnected and have not come back, by id, oldest first; bounded. */
    private final Map<String, WorkerInfo> departed = new java.util.LinkedHashMap<>();
    private volatile WorkerSession.Outgoing current;
    private volatile LongConsumer ackObserver = v -> { };
    private Server server;
    private EventLoopGroup ioThreads;
    private EventLoopGroup acceptThread;

    /** A manager that is not listening yet: see {@link #start()}. */
    public ManagerServer(ListenOptions options, Clock clock) {
        this(options, clock, Refusals.SHARED);
    }

    /** @param refusals where refusals are counted and logged (the bundle's {@link Refusals#SHARED}, or a test's own) */
    public ManagerServer(ListenOptions options, Clock clock, Refusals refusals) {
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
        this.epoch = e;
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
                .addService(ServerInterceptors.intercept(service(), new PeerInterceptor()));
        tls.ifPresent(builder::sslContext);
        server = builder.build().start();
        LOG.info("Remote manager listening on {}:{} ({}), epoch {}", listen.getHostString(), port(),
                tls.isPresent() ? "mutual TLS" : "plaintext", Long.toHexString(epoch));
        return this;
    }

    public int port() {
        return server.getPort();
    }

    public long epoch() {
        return epoch;
    }

    /** The version last offered to workers (0 before any). */
    public long currentVersion() {
        WorkerSession.Outgoing c = current;
        return c == null ? 0 : c.version();
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

    @Override
    public void onContainer(TokenContainer container) {
        WorkerSession.Outgoing outgoing = new WorkerSession.Outgoing(container.version(),
                Frames.push(epoch, TokenContainerCodec.encode(container)));
        current = outgoing;
        sessions.values().forEach(session -> session.offer(outgoing));
        LOG.debug("Offered container version {} to {} workers", container.version(), sessions.size());
    }

    /**
     * A worker said hello. If another live connection has the same worker id, the newer one wins
     * and the older one is closed (a restarted worker must not wait until the manager notices its
     * dead connection).
     */
    void register(WorkerSession session) {
        WorkerSession replaced;
        synchronized (departed) {
            replaced = byWorkerId.put(session.workerId(), session);
            departed.remove(session.workerId());
            sessions.put(session.id, session);
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
        WorkerSession.Outgoing c = current;
        if (c != null) {
            session.offer(c);
        }
    }

    void unregister(WorkerSession session, String why) {
        synchronized (departed) {
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

    /** A client with a trusted certificate claimed a worker id that is not its certificate's CN. */
    void identityRefused(String address, String subject, String claimed) {
        refusals.refused(Refusals.Kind.WORKER_ID, LOG, () -> "Refused worker id '" + claimed + "' from " + address
                + ": its client certificate's subject is " + subject + ", and a worker is accepted only under its"
                + " certificate's CN");
    }

    Refusals refusalLog() {
        return refusals;
    }

    /** Refusals since the remote bundle started, by counter name: shown by {@code token:workers}. */
    public Map<String, Long> refusals() {
        return refusals.counts();
    }

    void acknowledged(WorkerSession session, long version) {
        ackObserver.accept(version);
    }

    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        sessions.values().forEach(WorkerSession::shutdown);
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
                (ServerCallStreamObserver<byte[]>) responses, PEER_ADDRESS.get(), PEER_SUBJECT.get(), requiredWorkerId(), clock);
        // a stream that never says hello is closed, so it holds no session for ever
        ioThreads.schedule(session::helloDeadline, HELLO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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
                    .withValue(PEER_CN, peer == null ? null : CertificateNames.commonName(peer).orElse(""));
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
