package io.tokenhost.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.DevCerts;
import io.tokenhost.remote.manager.ListenOptions;
import io.tokenhost.remote.manager.ManagerServer;
import io.tokenhost.remote.manager.WorkerInfo;
import io.tokenhost.remote.tls.TlsContexts;
import io.tokenhost.remote.wire.DistributionProtocol;
import io.tokenhost.remote.worker.Backoff;
import io.tokenhost.remote.worker.ConnectionOptions;
import io.tokenhost.remote.worker.WorkerClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real manager server and real worker clients in one JVM over loopback mutual TLS, with
 * certificates from the distribution's dev-CA script.
 */
class ManagerWorkerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Await AWAIT = Await.atMost(WAIT).every(Duration.ofMillis(10));
    private static final String CANARY = "CANARY-7f3a9c-token-bytes";

    /** The distribution's bin/tokenhost-dev-certs in this checkout. */
    private static final Path DEV_CERTS = DevCerts.scriptInSources(ManagerWorkerTest.class);

    @TempDir
    static Path tmp;
    static Path good;
    static Path other;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    static void certificates() throws Exception {
        good = DevCerts.cached(DEV_CERTS, tmp.resolve("good"), "Test CA", "manager", "w1", "w2", "slow");
        other = DevCerts.cached(DEV_CERTS, tmp.resolve("other"), "Rogue CA", "rogue");
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        scheduler.shutdownNow();
    }

    private ManagerServer manager(int port) throws Exception {
        ManagerServer server = new ManagerServer(ListenOptions.mutualTls(new InetSocketAddress("127.0.0.1", port),
                TlsContexts.server(good.resolve("ca.crt"), good.resolve("manager.crt"), good.resolve("manager.key"))),
                Clock.systemUTC(), new io.tokenhost.remote.logging.Refusals(10, Clock.systemUTC())).start();
        closeables.add(server);
        return server;
    }

    private static ManagerServer plaintextManager() throws Exception {
        return new ManagerServer(ListenOptions.insecurePlaintext(new InetSocketAddress("127.0.0.1", 0)), Clock.systemUTC(),
                new io.tokenhost.remote.logging.Refusals(10, Clock.systemUTC())).start();
    }

    /** A worker recording every container it applies. */
    private final class Worker implements AutoCloseable {
        final List<TokenContainer> applied = new CopyOnWriteArrayList<>();
        final WorkerClient client;

        Worker(String id, int port, Path dir, String certName) throws Exception {
            this(id, port, dir, certName, c -> { });
        }

        Worker(String id, int port, Path dir, String certName, java.util.function.Consumer<TokenContainer> before)
                throws Exception {
            var tls = certName == null
                    ? TlsContexts.anonymousClient(good.resolve("ca.crt"))
                    : TlsContexts.client(good.resolve("ca.crt"), dir.resolve(certName + ".crt"), dir.resolve(certName + ".key"));
            client = new WorkerClient(ConnectionOptions.mutualTls("localhost", port, id, tls, Duration.ofSeconds(30)),
                    c -> {
                        before.accept(c);
                        applied.add(c);
                    },
                    new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), 0.5, Math::random), scheduler,
                    Clock.systemUTC());
            closeables.add(this);
            client.start();
        }

        long lastVersion() {
            return applied.isEmpty() ? 0 : applied.get(applied.size() - 1).version();
        }

        @Override
        public void close() {
            client.close();
        }
    }

    private static TokenContainer container(long version, String value) {
        return TokenContainer.of(version, Map.of("example", value.getBytes(StandardCharsets.UTF_8)));
    }

    private static long acked(ManagerServer server, String workerId) {
        return server.workers().stream().filter(w -> w.workerId().equals(workerId))
                .mapToLong(WorkerInfo::ackedVersion).max().orElse(-1);
    }

    @Test
    void aWorkerGetsTheCurrentContainerAtOnceThenEveryVersionAndAcknowledgesEach() throws Exception {
        ManagerServer server = manager(0);
        server.onContainer(container(1, CANARY + "-1"));
        Worker w1 = new Worker("w1", server.port(), good, "w1");
        AWAIT.until("w1 has version 1", () -> w1.lastVersion() == 1);
        AWAIT.until("manager sees w1's ack of version 1", () -> acked(server, "w1") == 1);

        server.onContainer(container(2, CANARY + "-2"));
        AWAIT.until("w1 acknowledged version 2", () -> acked(server, "w1") == 2);
        assertThat(w1.applied.get(w1.applied.size() - 1).tokens("example").orElseThrow())
                .isEqualTo((CANARY + "-2").getBytes(StandardCharsets.UTF_8));

        WorkerInfo info = server.workers().get(0);
        assertThat(info.certificateSubject()).isEqualTo("CN=w1");
        assertThat(info.address()).startsWith("127.0.0.1:");
        assertThat(info.lag(server.currentVersion())).isZero();
        assertThat(w1.client.status().connected()).isTrue();
        assertThat(w1.client.status().lastVersion()).isEqualTo(2);
    }

    @Test
    void clientsWithoutACertificateOrWithOneFromAnotherCaGetNothing() throws Exception {
        ManagerServer server = manager(0);
        server.onContainer(container(1, CANARY));
        Worker rogue = new Worker("rogue", server.port(), other, "rogue");
        Worker anonymous = new Worker("anonymous", server.port(), null, null);
        Worker w1 = new Worker("w1", server.port(), good, "w1");
        AWAIT.until("the trusted worker got version 1", () -> w1.lastVersion() == 1);
        AWAIT.until("both refused clients saw an error", () -> rogue.client.status().lastError().isPresent()
                && anonymous.client.status().lastError().isPresent());

        assertThat(rogue.applied).isEmpty();
        assertThat(anonymous.applied).isEmpty();
        assertThat(rogue.client.status().connected()).isFalse();
        assertThat(anonymous.client.status().connected()).isFalse();
        assertThat(rogue.client.status().lastError().get()).startsWith("UNAVAILABLE");
        assertThat(server.workers()).extracting(WorkerInfo::workerId).containsExactly("w1");
    }

    @Test
    void aSlowWorkerDelaysNoOtherAndThenCatchesUpWithTheNewestContainer() throws Exception {
        ManagerServer server = manager(0);
        server.onContainer(container(1, "v1"));
        CountDownLatch release = new CountDownLatch(1);
        Worker slow = new Worker("slow", server.port(), good, "slow", c -> {
            if (c.version() == 2) {
                try {
                    release.await(30, TimeUnit.SECONDS); // stuck applying version 2
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Worker fast = new Worker("w1", server.port(), good, "w1");
        AWAIT.until("both at version 1", () -> acked(server, "slow") == 1 && acked(server, "w1") == 1);

        for (long v = 2; v <= 50; v++) {
            server.onContainer(container(v, "v" + v));
        }
        AWAIT.until("the fast worker acknowledged version 50 meanwhile", () -> acked(server, "w1") == 50);
        assertThat(acked(server, "slow")).isEqualTo(1);

        release.countDown();
        AWAIT.until("the slow worker caught up with the newest", () -> acked(server, "slow") == 50);
        assertThat(fast.applied.get(fast.applied.size() - 1).version()).isEqualTo(50);
    }

    @Test
    void aWorkerKeepsItsTokensWhileTheManagerIsDownAndReconnectsToItsNewIncarnation() throws Exception {
        ManagerServer first = manager(0);
        int port = first.port();
        first.onContainer(container(7, "old"));
        Worker w1 = new Worker("w1", port, good, "w1");
        AWAIT.until("version 7 applied", () -> w1.lastVersion() == 7);

        first.close();
        AWAIT.until("the worker noticed the lost manager", () -> !w1.client.status().connected());
        assertThat(w1.applied).as("nothing withdrawn or replaced while the manager is gone").hasSize(1);
        Thread.sleep(300); // a few reconnect attempts fail meanwhile (not an assertion)
        assertThat(w1.applied).hasSize(1);

        ManagerServer second = manager(port);
        second.onContainer(container(1, "new"));
        AWAIT.until("the restarted manager's version 1 replaced version 7", () -> w1.lastVersion() == 1);
        assertThat(new String(w1.applied.get(1).tokens("example").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("new");
        AWAIT.until("acknowledged to the new manager", () -> acked(second, "w1") == 1);
    }

    @Test
    void insecureModeWorksOnlyWhenAskedForAndWarnsAtEveryStart() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("ROOT");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try {
            for (int start = 1; start <= 2; start++) {
                try (ManagerServer server = plaintextManager()) {
                    server.onContainer(container(1, "plain"));
                    List<TokenContainer> got = new CopyOnWriteArrayList<>();
                    try (WorkerClient client = new WorkerClient(ConnectionOptions.insecurePlaintext("localhost",
                            server.port(), "plain", Duration.ofSeconds(30)), got::add,
                            new Backoff(Duration.ofMillis(50), Duration.ofMillis(100), 0, Math::random), scheduler,
                            Clock.systemUTC())) {
                        client.start();
                        AWAIT.until("plaintext worker got the container", () -> got.size() == 1);
                    }
                }
                int expected = start;
                assertThat(logs.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                        && e.getFormattedMessage().startsWith("INSECURE: the remote manager")).hasSize(expected);
                assertThat(logs.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                        && e.getFormattedMessage().startsWith("INSECURE: worker")).hasSize(expected);
            }
        } finally {
            root.detachAppender(logs);
        }
    }

    @Test
    void aTlsWorkerCannotTalkToAPlaintextManager() throws Exception {
        try (ManagerServer server = plaintextManager()) {
            server.onContainer(container(1, CANARY));
            Worker w1 = new Worker("w1", server.port(), good, "w1");
            AWAIT.until("the TLS worker failed", () -> w1.client.status().lastError().isPresent());
            assertThat(w1.applied).isEmpty();
        }
    }

    private ManagedChannel channel(int port, String certName) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", port)
                .sslContext(TlsContexts.client(good.resolve("ca.crt"), good.resolve(certName + ".crt"),
                        good.resolve(certName + ".key")))
                .build();
        closeables.add(channel::shutdownNow);
        return channel;
    }

    private static ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captureLogs() {
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("ROOT")).addAppender(logs);
        return logs;
    }

    private static void release(ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs) {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("ROOT")).detachAppender(logs);
    }

    @Test
    void aWorkerClaimingAnIdOtherThanItsCertificatesCnIsRefusedAndGetsNoContainer() throws Exception {
        var logs = captureLogs();
        try {
            ManagerServer server = manager(0);
            server.onContainer(container(1, CANARY));
            Worker w1 = new Worker("w1", server.port(), good, "w1");
            AWAIT.until("the worker whose id is its CN got version 1", () -> acked(server, "w1") == 1);
            long w1Session = server.workers().get(0).session();

            // a real worker with w2's certificate claiming to be w1
            Worker impostor = new Worker("w1", server.port(), good, "w2");
            AWAIT.until("the impostor was refused", () -> impostor.client.status().lastError().isPresent());
            assertThat(impostor.client.status().lastError().get())
                    .startsWith("PERMISSION_DENIED")
                    .contains("'w1'", "'w2'");
            assertThat(impostor.client.status().connected()).isFalse();

            // the same over a raw stream: nothing at all is sent back, only the status
            RawStream raw = new RawStream(channel(server.port(), "w2"));
            raw.requests.onNext(io.tokenhost.remote.wire.Frames.hello("w1"));
            AWAIT.until("the raw impostor's stream was closed", () -> raw.ended.get() != null);
            assertThat(raw.ended.get().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(raw.ended.get().getDescription())
                    .isEqualTo("worker id 'w1' does not match the client certificate's CN 'w2'");
            assertThat(raw.received).as("no welcome, no container").isEmpty();

            server.onContainer(container(2, CANARY + "-2"));
            AWAIT.until("the real w1 still gets every version", () -> acked(server, "w1") == 2);
            assertThat(impostor.applied).as("the impostor applied nothing").isEmpty();
            assertThat(server.workers()).as("the real w1 was not displaced")
                    .extracting(WorkerInfo::workerId, WorkerInfo::session, WorkerInfo::certificateSubject)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("w1", w1Session, "CN=w1"));
            assertThat(server.departedWorkers()).isEmpty();
            assertThat(w1.client.status().connected()).isTrue();

            assertThat(logs.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                    && e.getFormattedMessage().startsWith("Refused worker id 'w1' from 127.0.0.1:"))
                    .isNotEmpty()
                    .allSatisfy(e -> assertThat(e.getFormattedMessage()).contains("subject is CN=w2"));
        } finally {
            release(logs);
        }
    }

    @Test
    void refusedIdClaimsAreLoggedAtMostTenAMinute() throws Exception {
        var logs = captureLogs();
        try {
            ManagerServer server = manager(0);
            ManagedChannel channel = channel(server.port(), "w2");
            for (int i = 0; i < 15; i++) {
                RawStream raw = new RawStream(channel);
                raw.requests.onNext(io.tokenhost.remote.wire.Frames.hello("claim-" + i));
                AWAIT.until("claim " + i + " refused", () -> raw.ended.get() != null);
                assertThat(raw.ended.get().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            }
            assertThat(logs.list).filteredOn(e -> e.getFormattedMessage().startsWith("Refused worker id")).hasSize(10);
        } finally {
            release(logs);
        }
    }

    @Test
    void aSecondConnectionWithTheSameIdReplacesTheOlderOne() throws Exception {
        ManagerServer server = manager(0);
        server.onContainer(container(1, CANARY));
        ManagedChannel first = channel(server.port(), "w1");
        ManagedChannel second = channel(server.port(), "w1");
        RawStream older = new RawStream(first);
        older.requests.onNext(io.tokenhost.remote.wire.Frames.hello("w1"));
        AWAIT.until("the older connection got the welcome and the container", () -> older.received.size() == 2);
        long olderSession = server.workers().get(0).session();

        RawStream newer = new RawStream(second);
        newer.requests.onNext(io.tokenhost.remote.wire.Frames.hello("w1"));
        AWAIT.until("the newer connection got the welcome and the container", () -> newer.received.size() == 2);
        AWAIT.until("the older connection was closed", () -> older.ended.get() != null);
        assertThat(older.ended.get().getCode()).isEqualTo(Status.Code.ABORTED);
        assertThat(older.ended.get().getDescription()).startsWith("replaced by a newer connection of worker 'w1'");

        assertThat(server.workers()).hasSize(1);
        assertThat(server.workers().get(0).session()).isNotEqualTo(olderSession);
        assertThat(server.departedWorkers()).as("w1 is connected, not gone").isEmpty();
        server.onContainer(container(2, CANARY + "-2"));
        AWAIT.until("the newer connection gets version 2", () -> newer.received.size() == 3);
        assertThat(older.received).hasSize(2);
    }

    @Test
    void aMalformedFrameFromAWorkerClosesItsStreamAndTheManagerKeepsServing() throws Exception {
        ManagerServer server = manager(0);
        server.onContainer(container(1, CANARY));
        ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", server.port())
                .sslContext(TlsContexts.client(good.resolve("ca.crt"), good.resolve("w2.crt"), good.resolve("w2.key")))
                .build();
        closeables.add(channel::shutdownNow);
        AtomicReference<Status> ended = new AtomicReference<>();
        List<byte[]> received = new CopyOnWriteArrayList<>();
        StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(
                channel.newCall(DistributionProtocol.SUBSCRIBE, CallOptions.DEFAULT), new StreamObserver<>() {
                    @Override
                    public void onNext(byte[] value) {
                        received.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        ended.set(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        ended.set(Status.OK);
                    }
                });
        requests.onNext(new byte[] {0x7f, 1, 2, 3});
        AWAIT.until("the stream was closed", () -> ended.get() != null);
        assertThat(ended.get().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(received).as("nothing sent before a hello").isEmpty();
        assertThat(server.refusals()).containsEntry("malformed-frames", 1L);

        Worker w1 = new Worker("w1", server.port(), good, "w1");
        AWAIT.until("the manager still serves others", () -> w1.lastVersion() == 1);
    }

    @Test
    void aFloodOfMalformedFramesIsCountedButLoggedAtMostTenLinesAMinute() throws Exception {
        var logs = captureLogs();
        try {
            ManagerServer server = manager(0);
            ManagedChannel channel = channel(server.port(), "w2");
            for (int i = 0; i < 40; i++) {
                RawStream raw = new RawStream(channel);
                raw.requests.onNext(new byte[] {0x7f, 1, 2, 3});
                Await.atMost(WAIT).every(Duration.ofMillis(10)).until("malformed stream " + i + " closed", () -> raw.ended.get() != null);
            }
            assertThat(server.refusals()).containsEntry("malformed-frames", 40L);
            assertThat(logs.list).filteredOn(e -> e.getFormattedMessage().startsWith("Refused a malformed frame")).hasSize(10);
        } finally {
            release(logs);
        }
    }

    @Test
    void aStreamThatNeverSaysHelloIsClosedAfterTheHelloDeadline() throws Exception {
        ManagerServer server = manager(0);
        RawStream silent = new RawStream(channel(server.port(), "w2"));
        long opened = System.nanoTime();
        Await.atMost(Duration.ofSeconds(15)).every(Duration.ofMillis(10)).until("the hello-less stream closed", () -> silent.ended.get() != null);
        Duration took = Duration.ofNanos(System.nanoTime() - opened);
        assertThat(silent.ended.get().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(took).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(10));
        assertThat(server.refusals()).containsEntry("hello-timeouts", 1L);
    }

    @Test
    void anAcknowledgementAboveTheVersionSentIsRefusedAndCounted() throws Exception {
        ManagerServer server = manager(0);
        server.onContainer(container(1, CANARY));
        RawStream raw = new RawStream(channel(server.port(), "w2"));
        raw.requests.onNext(io.tokenhost.remote.wire.Frames.hello("w2"));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("welcome and version 1", () -> raw.received.size() == 2);
        raw.requests.onNext(io.tokenhost.remote.wire.Frames.ack(server.epoch(), Long.MAX_VALUE));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("the over-high ack refused", () -> server.refusals().get("acks-above-sent") == 1L);
        raw.requests.onNext(io.tokenhost.remote.wire.Frames.ack(server.epoch(), 1));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("the true ack recorded", () -> server.workers().get(0).ackedVersion() == 1);
        assertThat(server.refusals()).containsEntry("acks-above-sent", 1L);
        assertThat(raw.ended.get()).as("the stream stays open").isNull();
    }

    @Test
    void aClientWithoutACertificateIsCountedAsAFailedHandshakeAndAWorkerLeavingIsNot() throws Exception {
        ManagerServer server = manager(0);
        server.onContainer(container(1, CANARY));
        Worker w1 = new Worker("w1", server.port(), good, "w1");
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("a worker served", () -> w1.lastVersion() == 1);
        ManagedChannel anonymous = NettyChannelBuilder.forAddress("localhost", server.port())
                .sslContext(TlsContexts.anonymousClient(good.resolve("ca.crt"))).build();
        closeables.add(anonymous::shutdownNow);
        RawStream raw = new RawStream(anonymous);
        raw.requests.onNext(io.tokenhost.remote.wire.Frames.hello("w1"));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("the certificate-less client refused", () -> raw.ended.get() != null);
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("the failed handshake counted", () -> server.refusals().get("tls-handshakes-failed") >= 1);
        long failed = server.refusals().get("tls-handshakes-failed");
        w1.close();
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("the worker gone", () -> server.workers().isEmpty());
        Thread.sleep(200);
        assertThat(server.refusals()).containsEntry("tls-handshakes-failed", failed);
    }
}
