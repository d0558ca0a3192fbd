package io.tokenhost.remote.worker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.distribution.TokenContainerCodec;
import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.SecretForms;
import io.tokenhost.remote.wire.DistributionProtocol;
import io.tokenhost.remote.wire.Frames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The worker against a scripted manager (a bare gRPC server speaking the protocol by hand, in
 * plaintext): what it does with frames a real manager never sends, and how it waits between
 * attempts.
 */
class WorkerClientTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Await AWAIT = Await.atMost(WAIT).every(Duration.ofMillis(5));
    private static final byte[] CANARY = "CANARY-9e1f4".getBytes(StandardCharsets.UTF_8);

    /** Records the delay of every task scheduled on it: the worker's waits between attempts. */
    private static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
        final List<Long> delays = new CopyOnWriteArrayList<>();

        RecordingScheduler() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            delays.add(unit.toMillis(delay));
            return super.schedule(command, delay, unit);
        }
    }

    /** A manager that answers every hello with a welcome and lets the test send whatever it likes. */
    private static final class ScriptedManager implements AutoCloseable {
        final BlockingQueue<StreamObserver<byte[]>> streams = new LinkedBlockingQueue<>();
        final List<byte[]> fromWorkers = new CopyOnWriteArrayList<>();
        final Server server;

        ScriptedManager(int port) throws IOException {
            ServerServiceDefinition service = ServerServiceDefinition.builder(DistributionProtocol.SERVICE)
                    .addMethod(DistributionProtocol.SUBSCRIBE, ServerCalls.asyncBidiStreamingCall(responses -> {
                        return new StreamObserver<byte[]>() {
                            @Override
                            public void onNext(byte[] frame) {
                                fromWorkers.add(frame);
                                if (frame[0] == Frames.HELLO) {
                                    responses.onNext(Frames.welcome(7, false));
                                    streams.add(responses);
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                            }

                            @Override
                            public void onCompleted() {
                                responses.onCompleted();
                            }
                        };
                    })).build();
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).addService(service).build()
                    .start();
        }

        StreamObserver<byte[]> nextStream() throws InterruptedException {
            StreamObserver<byte[]> stream = streams.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(stream).as("a worker said hello").isNotNull();
            return stream;
        }

        long hellos() {
            return fromWorkers.stream().filter(f -> f[0] == Frames.HELLO).count();
        }

        @Override
        public void close() throws InterruptedException {
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final RecordingScheduler scheduler = new RecordingScheduler();
    private final List<TokenContainer> applied = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        scheduler.shutdownNow();
    }

    private ScriptedManager manager(int port) throws IOException {
        ScriptedManager manager = new ScriptedManager(port);
        closeables.add(manager);
        return manager;
    }

    private WorkerClient worker(int port, Backoff backoff) {
        WorkerClient client = new WorkerClient(ConnectionOptions.insecurePlaintext("127.0.0.1", port, "w1",
                Duration.ofSeconds(30)), applied::add, backoff, scheduler, Clock.systemUTC());
        closeables.add(client);
        client.start();
        return client;
    }

    private static byte[] push(long version, byte[] token) {
        return Frames.push(7, TokenContainerCodec.encode(TokenContainer.of(version, Map.of("hdfs", token))));
    }

    private static ListAppender<ILoggingEvent> captureLogs() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("ROOT")).addAppender(logs);
        return logs;
    }

    private static void release(ListAppender<ILoggingEvent> logs) {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("ROOT")).detachAppender(logs);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A malformed frame arriving at the worker is refused, counted and logged without its content;
     * the tokens applied stay and the stream goes on. Kills: the {@code return} after refusing being
     * lost (nothing applied would change, so the count and the log are what is checked), the refusal
     * count, and a log line that quotes the frame.
     */
    @Test
    void aMalformedFrameIsRefusedCountedAndLoggedWithoutItsContentAndTheTokensStay() throws Exception {
        ScriptedManager manager = manager(0);
        WorkerClient client = worker(manager.server.getPort(), new Backoff(Duration.ofMillis(50), Duration.ofMillis(400),
                0, () -> 0.5));
        StreamObserver<byte[]> stream = manager.nextStream();
        stream.onNext(push(1, "good-1".getBytes(StandardCharsets.UTF_8)));
        AWAIT.until("version 1 applied", () -> applied.size() == 1);

        var logs = captureLogs();
        try {
            byte[] corrupt = push(2, CANARY);
            corrupt[corrupt.length - 1] ^= 1; // the container's checksum no longer matches
            stream.onNext(corrupt);
            stream.onNext(new byte[] {0x7f, 1, 2, 3, 4, 5, 6, 7, 8, 9}); // an unknown frame type
            AWAIT.until("both frames refused", () -> client.status().framesRefused() == 2);
            stream.onNext(push(3, "good-3".getBytes(StandardCharsets.UTF_8)));
            AWAIT.until("version 3 applied", () -> applied.size() == 2);
        } finally {
            release(logs);
        }

        assertThat(applied).extracting(TokenContainer::version).containsExactly(1L, 3L);
        assertThat(client.status().connected()).isTrue();
        assertThat(client.status().lastVersion()).isEqualTo(3);
        assertThat(manager.hellos()).as("the stream was kept, no reconnect").isEqualTo(1);
        List<String> refusals = logs.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("Refused a malformed frame")).toList();
        assertThat(refusals).hasSize(2);
        assertThat(refusals.get(0)).contains("checksum", "keeping the current tokens");
        assertThat(refusals.get(1)).contains("unknown manager frame type 127");
        for (ILoggingEvent event : logs.list) {
            SecretForms.assertAbsent("log line " + event.getFormattedMessage(), event.getFormattedMessage(), CANARY);
        }
    }

    /**
     * A frame over the 16 MiB cap ({@code Frames.MAX_MANAGER_FRAME}) is refused by the transport
     * before it is buffered whole: nothing is applied and the worker reconnects. Kills: the
     * channel's {@code maxInboundMessageSize} (without it the marshaller refuses the frame only
     * after reading it, with status INTERNAL rather than RESOURCE_EXHAUSTED).
     */
    @Test
    void aFrameOverTheCapIsRefusedNothingIsAppliedAndTheWorkerReconnects() throws Exception {
        ScriptedManager manager = manager(0);
        // a first wait of 2 s: time to see the error before the reconnect's welcome clears it
        WorkerClient client = worker(manager.server.getPort(), new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(2),
                0, () -> 0.5));
        StreamObserver<byte[]> stream = manager.nextStream();
        byte[] huge = new byte[Frames.MAX_MANAGER_FRAME + 1];
        huge[0] = Frames.PUSH;

        stream.onNext(huge);

        AWAIT.until("the worker dropped the stream", () -> !client.status().connected());
        assertThat(client.status().lastError()).hasValueSatisfying(error -> assertThat(error)
                .startsWith("RESOURCE_EXHAUSTED"));
        AWAIT.until("the worker reconnected", () -> manager.hellos() == 2);
        assertThat(applied).isEmpty();
        assertThat(Frames.MAX_MANAGER_FRAME).as("16 MiB of container plus the frame header")
                .isEqualTo((16 << 20) + 9);
    }

    /**
     * Reconnect waits double from {@code reconnect.backoff} to {@code reconnect.backoff.max} while
     * the manager is unreachable, and start again from the first after a welcome. Kills: the
     * {@code backoff.reset()} in {@code welcomed}, and a single manager's retry not using {@code
     * backoff.next()}.
     */
    @Test
    void reconnectWaitsDoubleUpToTheMaximumAndStartAgainAfterAWelcome() throws Exception {
        int port = freePort(); // nobody listens yet: every attempt is refused at once
        Backoff backoff = new Backoff(Duration.ofMillis(40), Duration.ofMillis(320), 0, () -> 0.5);
        WorkerClient client = worker(port, backoff);
        AWAIT.until("five attempts failed", () -> scheduler.delays.size() >= 5);
        assertThat(scheduler.delays.subList(0, 5)).containsExactly(40L, 80L, 160L, 320L, 320L);

        ScriptedManager manager = manager(port);
        StreamObserver<byte[]> stream = manager.nextStream();
        AWAIT.until("connected", () -> client.status().connected());
        assertThat(backoff.attempts()).as("reset by the welcome").isZero();
        int before = scheduler.delays.size();

        stream.onError(Status.UNAVAILABLE.withDescription("manager restarting").asRuntimeException());

        AWAIT.until("the next attempt was planned", () -> scheduler.delays.size() > before);
        assertThat(scheduler.delays.get(before)).as("the first wait again, not the longest").isEqualTo(40L);
        AWAIT.until("reconnected", () -> manager.hellos() == 2);
    }

    /**
     * The transport never logs frame contents, whatever the log levels say: with java.util.logging's
     * root at ALL and logback's io.grpc at DEBUG, no log record holds the token. Kills: deleting the
     * pinning of the shaded Netty loggers at INFO in {@code TransportLogging}, or not pointing Netty
     * at java.util.logging. The test first shows that the frame logger, with the pin lifted, shows
     * the token: so its silence afterwards is the pin's, not the capture's.
     */
    @Test
    void theTransportsFrameLoggerNeverShowsTokensWhateverTheLogLevels() throws Exception {
        Logger julRoot = Logger.getLogger("");
        java.util.logging.Level julRootLevel = julRoot.getLevel();
        List<String> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(java.util.logging.Level.ALL);
        ch.qos.logback.classic.Logger grpcLogback = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.grpc");
        Level grpcLevel = grpcLogback.getLevel();
        Logger shadedNetty = Logger.getLogger("io.grpc.netty.shaded"); // the logger TransportLogging pins
        var logs = captureLogs();
        julRoot.addHandler(capture);
        try {
            julRoot.setLevel(java.util.logging.Level.ALL);
            grpcLogback.setLevel(Level.TRACE);
            ScriptedManager manager = manager(0);
            WorkerClient client = worker(manager.server.getPort(), new Backoff(Duration.ofMillis(50),
                    Duration.ofMillis(400), 0, () -> 0.5));
            StreamObserver<byte[]> stream = manager.nextStream();
            // welcomed first, so that each push travels in a DATA frame of its own, the token within
            // the 64 bytes the frame logger shows
            AWAIT.until("connected", () -> client.status().connected());

            // control: with the pin lifted, the frame logger shows the token in hex
            shadedNetty.setLevel(java.util.logging.Level.ALL);
            stream.onNext(push(1, CANARY));
            AWAIT.until("version 1 applied", () -> applied.size() == 1);
            AWAIT.until("the frame logger, unpinned, logged the token", () -> List.copyOf(records), seen -> seen.stream()
                    .anyMatch(r -> !SecretForms.foundIn(r, CANARY).isEmpty()));

            shadedNetty.setLevel(java.util.logging.Level.INFO); // pinned again, as TransportLogging leaves it
            records.clear();
            logs.list.clear();
            stream.onNext(push(2, CANARY));
            AWAIT.until("version 2 applied", () -> applied.size() == 2);
        } finally {
            julRoot.removeHandler(capture);
            julRoot.setLevel(julRootLevel);
            grpcLogback.setLevel(grpcLevel);
            shadedNetty.setLevel(java.util.logging.Level.INFO);
            release(logs);
        }
        for (String record : records) {
            SecretForms.assertAbsent("java.util.logging record " + record, record, CANARY);
        }
        for (ILoggingEvent event : logs.list) {
            SecretForms.assertAbsent("log line " + event.getFormattedMessage(), event.getFormattedMessage(), CANARY);
        }
    }
}
