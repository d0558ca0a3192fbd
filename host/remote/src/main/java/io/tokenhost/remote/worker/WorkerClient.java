package io.tokenhost.remote.worker;

import io.tokenhost.host.common.MessageSanitiser;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
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
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's end: subscribes to the manager, applies every pushed container through {@code sink},
 * acknowledges it, and on any loss reconnects with {@link Backoff}. Between connections the host
 * keeps its last good tokens (nothing is withdrawn for a lost manager; the host withdraws tokens only
 * once they expire). A malformed frame is refused
 * and logged without its content; the stream is then dropped and re-established.
 */
public final class WorkerClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerClient.class);

    private final ConnectionOptions connection;
    private final Consumer<TokenContainer> sink;
    private final ObjLongConsumer<TokenContainer> afterApply;
    private final Backoff backoff;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    private ManagedChannel channel;
    private StreamObserver<byte[]> requests;
    private Object attempt;
    private ScheduledFuture<?> retry;
    private boolean closed;

    private boolean connected;
    private Instant connectedSince;
    private long epoch;
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
        this(connection, sink, (container, epoch) -> { }, backoff, scheduler, clock);
    }

    /**
     * @param afterApply told of every container after {@code sink} applied it and before it is
     *     acknowledged, with the manager's epoch (the host saves it to its {@link LastContainerFile})
     */
    public WorkerClient(ConnectionOptions connection, Consumer<TokenContainer> sink,
            ObjLongConsumer<TokenContainer> afterApply, Backoff backoff, ScheduledExecutorService scheduler, Clock clock) {
        this.connection = connection;
        this.sink = sink;
        this.afterApply = afterApply;
        this.backoff = backoff;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    public void start() {
        TransportLogging.quiet();
        if (connection.tls().isEmpty()) {
            LOG.warn("INSECURE: worker '{}' connects to the manager at {} WITHOUT TLS: tokens travel in the clear."
                    + " Use this only in tests (key insecure=true)", connection.workerId(), connection.address());
        }
        connect();
    }

    public synchronized ManagerLinkStatus status() {
        return new ManagerLinkStatus(connection.address(), connection.workerId(), connected,
                Optional.ofNullable(connectedSince), lastVersion, Optional.ofNullable(lastReceived), Optional.ofNullable(lastError),
                Optional.ofNullable(nextAttempt), applied, refused);
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
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(connection.host(), connection.port())
                .maxInboundMessageSize(Frames.MAX_MANAGER_FRAME)
                .flowControlWindow(1 << 20) // fixed: no BDP ping per data frame
                .keepAliveTime(connection.keepAlive().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(20, TimeUnit.SECONDS);
        connection.sharedEventLoops().ifPresent(group ->
                builder.eventLoopGroup(group).channelType(NioSocketChannel.class).directExecutor());
        connection.tls().ifPresentOrElse(builder::sslContext, builder::usePlaintext);
        channel = builder.build();
        Object thisAttempt = new Object();
        attempt = thisAttempt;
        requests = ClientCalls.asyncBidiStreamingCall(channel.newCall(DistributionProtocol.SUBSCRIBE, CallOptions.DEFAULT),
                new Responses(thisAttempt));
        requests.onNext(Frames.hello(connection.workerId()));
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
                welcomed(mine, welcome.epoch());
            } else if (frame instanceof ManagerFrame.Push push) {
                received(mine, push);
            }
        }

        @Override
        public void onError(Throwable t) {
            lost(mine, Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            lost(mine, Status.UNAVAILABLE.withDescription("the manager ended the stream"));
        }
    }

    private void welcomed(Object from, long managerEpoch) {
        synchronized (this) {
            if (from != attempt || closed) {
                return;
            }
            connected = true;
            connectedSince = clock.instant();
            lastError = null;
            if (managerEpoch != epoch && epoch != 0) {
                info("The manager at {} restarted (new epoch); its next container replaces ours", connection.address());
            }
            epoch = managerEpoch;
            backoff.reset();
        }
        info("Worker '{}' connected to the manager at {}", connection.workerId(), connection.address());
    }

    private void received(Object from, ManagerFrame.Push push) {
        synchronized (this) {
            if (from != attempt || closed || push.epoch() != epoch) {
                return;
            }
        }
        TokenContainer container = push.container();
        sink.accept(container);
        afterApply.accept(container, push.epoch());
        StreamObserver<byte[]> out;
        synchronized (this) {
            if (from != attempt || closed) {
                return;
            }
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

    private void lost(Object from, Status status) {
        Duration delay;
        boolean wasConnected;
        synchronized (this) {
            if (from != attempt || closed) {
                return;
            }
            wasConnected = connected;
            connected = false;
            attempt = null;
            lastError = status.getCode() + (status.getDescription() == null ? "" : ": " + oneLine(status.getDescription()));
            delay = backoff.next();
            nextAttempt = clock.instant().plus(delay);
            retry = scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (!connection.connectionEventsLogged()) {
            LOG.debug("Lost the manager at {} ({}); next attempt in {} ms", connection.address(), lastError, delay.toMillis());
        } else if (status.getCode() == Status.Code.PERMISSION_DENIED && (wasConnected || backoff.attempts() == 1)) {
            LOG.error("The manager at {} refused worker '{}' ({}); retrying in {} ms", connection.address(),
                    connection.workerId(), lastError, delay.toMillis());
        } else if (wasConnected || backoff.attempts() == 1) {
            LOG.warn("Lost the manager at {} ({}); keeping the last good tokens (version {}); reconnecting in {} ms",
                    connection.address(), lastError, lastVersion, delay.toMillis());
        } else {
            LOG.debug("Manager at {} still unreachable ({}); next attempt in {} ms", connection.address(), lastError,
                    delay.toMillis());
        }
    }

    /** INFO, or DEBUG for a client whose connection events are not logged (benchmark). */
    private void info(String format, Object... args) {
        if (connection.connectionEventsLogged()) {
            LOG.info(format, args);
        } else {
            LOG.debug(format, args);
        }
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
