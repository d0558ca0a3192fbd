package io.tokenhost.remote;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.Status;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.DevCerts;
import io.tokenhost.remote.manager.ListenOptions;
import io.tokenhost.remote.manager.ManagerServer;
import io.tokenhost.remote.manager.WorkerInfo;
import io.tokenhost.remote.tls.FileWatch;
import io.tokenhost.remote.tls.LiveTls;
import io.tokenhost.remote.tls.TlsContexts;
import io.tokenhost.remote.worker.Backoff;
import io.tokenhost.remote.worker.ConnectionOptions;
import io.tokenhost.remote.worker.WorkerClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Revocation and rotation under a running manager with workers, all from files watched as the host
 * watches them ({@link LiveTls} + {@link FileWatch}), with real openssl certificates and CRLs: a CRL
 * and a deny list close revoked live streams within 1 s and refuse their reconnects; certificates,
 * keys and CAs of the manager and a worker are replaced (to a second CA) while the worker's stream
 * keeps running; new connections use the new material; bad files leave what is in force.
 */
class RotationAndRevocationTest {

    private static final Path DEV_CERTS = DevCerts.scriptInSources(RotationAndRevocationTest.class);

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path tmp;
    static Path ca1;
    static Path ca2;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void certificates() throws Exception {
        ca1 = DevCerts.create(DEV_CERTS, tmp.resolve("ca1"), "Test CA", "manager", "w1", "w2");
        ca2 = DevCerts.create(DEV_CERTS, tmp.resolve("ca2"), "Second CA", "manager", "w1", "w3");
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        scheduler.shutdownNow();
        root().detachAppender(logs);
    }

    private static ch.qos.logback.classic.Logger root() {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** Replaces {@code target} atomically with {@code content}, owner-only. */
    private static void install(Path target, byte[] content) throws Exception {
        Path part = Files.createTempFile(target.getParent(), ".part", "");
        Files.write(part, content);
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void install(Path target, Path... sources) throws Exception {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (Path source : sources) {
            all.write(Files.readAllBytes(source));
        }
        install(target, all.toByteArray());
    }

    private static TokenContainer container(long version) {
        return TokenContainer.of(version, Map.of("example", ("tokens-" + version).getBytes(StandardCharsets.UTF_8)));
    }

    private static boolean connected(ManagerServer server, String id) {
        return server.workers().stream().map(WorkerInfo::workerId).anyMatch(id::equals);
    }

    private LiveTls watched(LiveTls tls) {
        closeables.add(new FileWatch(tls.files(), FileWatch.PERIOD, tls::reload));
        return tls;
    }

    @Test
    void revokedWorkersAreCutOffAndCertificatesRotateUnderRunningStreams() throws Exception {
        logs.start();
        root().addAppender(logs);
        Path m = Files.createDirectories(tmp.resolve("manager"));
        install(m.resolve("ca.crt"), ca1.resolve("ca.crt"));
        install(m.resolve("node.crt"), ca1.resolve("manager.crt"));
        install(m.resolve("node.key"), ca1.resolve("manager.key"));
        Crls.generate(ca1, m.resolve("crl.pem"));
        install(m.resolve("deny"), "# nobody yet\n".getBytes(StandardCharsets.UTF_8));
        LiveTls managerTls = watched(LiveTls.server(m.resolve("ca.crt"), m.resolve("node.crt"), m.resolve("node.key"),
                Optional.of(m.resolve("crl.pem")), Optional.of(m.resolve("deny"))));
        ManagerServer server = new ManagerServer(ListenOptions.mutualTls(new InetSocketAddress("127.0.0.1", 0),
                managerTls.context()), Clock.systemUTC()).start();
        closeables.add(server);
        server.revocations(managerTls.revocations());
        managerTls.onRevocations(server::revocations);
        server.onContainer(container(1));

        Path w = Files.createDirectories(tmp.resolve("w1"));
        install(w.resolve("ca.crt"), ca1.resolve("ca.crt"));
        install(w.resolve("node.crt"), ca1.resolve("w1.crt"));
        install(w.resolve("node.key"), ca1.resolve("w1.key"));
        LiveTls workerTls = watched(LiveTls.client(w.resolve("ca.crt"), w.resolve("node.crt"), w.resolve("node.key")));
        List<TokenContainer> w1Applied = new CopyOnWriteArrayList<>();
        WorkerClient w1 = new WorkerClient(ConnectionOptions.mutualTls("localhost", server.port(), "w1",
                workerTls.context(), Duration.ofSeconds(30)), w1Applied::add,
                new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 0.5, Math::random), scheduler, Clock.systemUTC());
        closeables.add(w1);
        w1.start();
        RawWorker w2 = new RawWorker(server.port(), "w2", TlsContexts.client(ca1.resolve("ca.crt"), ca1.resolve("w2.crt"),
                ca1.resolve("w2.key")));
        closeables.add(w2);
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("both workers have version 1", () -> w1Applied.size() == 1 && w2.pushed.size() == 1);

        // 1. a CRL revoking w2: its live stream ends within 1 s of the file change, and it is refused again
        Crls.revoke(ca1, "w2");
        Path newCrl = Crls.generate(ca1, tmp.resolve("crl-revoking-w2.pem"));
        long written = System.nanoTime();
        install(m.resolve("crl.pem"), newCrl);
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("w2's stream closed", () -> w2.ended.get() != null);
        long crlMillis = (w2.endedAtNanos.get() - written) / 1_000_000;
        assertThat(w2.ended.get().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(w2.ended.get().getDescription()).startsWith("revoked: certificate serial");
        assertThat(crlMillis).as("closed within 1 s of the CRL change").isLessThan(1000);
        RawWorker w2Again = new RawWorker(server.port(), "w2", TlsContexts.client(ca1.resolve("ca.crt"),
                ca1.resolve("w2.crt"), ca1.resolve("w2.key")));
        closeables.add(w2Again);
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("w2's reconnect refused", () -> w2Again.ended.get() != null);
        assertThat(w2Again.raw).as("no frame, no token, for a revoked worker").isEmpty();
        server.onContainer(container(2));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("w1 still served", () -> w1Applied.size() == 2);
        assertThat(w2.pushed).hasSize(1);

        // 2. a deny list naming w1: cut off within 1 s; removed from it, w1 is back by itself
        written = System.nanoTime();
        install(m.resolve("deny"), "w1\n".getBytes(StandardCharsets.UTF_8));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("w1 cut off", () -> !connected(server, "w1"));
        long denyMillis = (System.nanoTime() - written) / 1_000_000;
        assertThat(denyMillis).as("cut off within 1 s of the deny-list change").isLessThan(1000);
        Thread.sleep(500); // it keeps trying, and is refused every time
        assertThat(connected(server, "w1")).isFalse();
        install(m.resolve("deny"), "# w1 forgiven\n".getBytes(StandardCharsets.UTF_8));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("w1 back after leaving the deny list", () -> connected(server, "w1"));

        // 3. bad files: a CRL that does not parse and a key that does not match: ERRORs naming the keys, nothing changes
        install(m.resolve("crl.pem"), "garbage".getBytes(StandardCharsets.UTF_8));
        install(m.resolve("node.key"), ca1.resolve("w1.key"));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("both refusals logged", () -> errors().stream().anyMatch(e -> e.contains("tls.crl: must hold PEM certificate revocation lists")) && errors().stream().anyMatch(e -> e.contains("tls.key: must be the private key of the certificate")));
        java.security.cert.X509Certificate w2Cert = io.tokenhost.remote.tls.TlsMaterial.load(ca1.resolve("ca.crt"),
                ca1.resolve("w2.crt"), ca1.resolve("w2.key")).chain()[0];
        assertThat(managerTls.revocations().reason(w2Cert, "w2")).as("the CRL in force stays").isPresent();
        install(m.resolve("node.key"), ca1.resolve("manager.key"));
        Crls.generate(ca1, m.resolve("crl.pem"));

        // 4. rotation to a second CA: both CAs trusted while the manager and w1 move to CA2 certificates
        long accepted = server.connectionsAccepted();
        install(m.resolve("ca.crt"), ca1.resolve("ca.crt"), ca2.resolve("ca.crt"));
        install(w.resolve("ca.crt"), ca1.resolve("ca.crt"), ca2.resolve("ca.crt"));
        Thread.sleep(3 * FileWatch.PERIOD.toMillis());
        install(m.resolve("node.key"), ca2.resolve("manager.key"));
        install(m.resolve("node.crt"), ca2.resolve("manager.crt"));
        install(w.resolve("node.key"), ca2.resolve("w1.key"));
        install(w.resolve("node.crt"), ca2.resolve("w1.crt"));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("both reloaded their CA2 certificates", () -> managerTls.certificate().getIssuerX500Principal().getName().equals("CN=Second CA") && workerTls.certificate().getIssuerX500Principal().getName().equals("CN=Second CA"));
        server.onContainer(container(3));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("w1's live stream still works", () -> w1Applied.get(w1Applied.size() - 1).version() == 3);
        assertThat(server.connectionsAccepted()).as("on its old connection").isEqualTo(accepted);
        // a new worker that knows only CA2 connects: the manager presents its CA2 certificate and trusts CA2
        RawWorker w3 = new RawWorker(server.port(), "w3", TlsContexts.client(ca2.resolve("ca.crt"), ca2.resolve("w3.crt"),
                ca2.resolve("w3.key")));
        closeables.add(w3);
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("w3 (CA2 only) served", () -> !w3.pushed.isEmpty());
        assertThat(w3.last().version()).isEqualTo(3);

        // 5. CA1 retired at the manager: w1 reconnects (cut off and let back by the deny list) with its CA2 certificate
        install(m.resolve("ca.crt"), ca2.resolve("ca.crt"));
        Crls.generate(ca2, m.resolve("crl.pem")); // the CRL must be of a CA in force
        Thread.sleep(3 * FileWatch.PERIOD.toMillis());
        install(m.resolve("deny"), "w1\n".getBytes(StandardCharsets.UTF_8));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("w1 cut off", () -> !connected(server, "w1"));
        install(m.resolve("deny"), "\n".getBytes(StandardCharsets.UTF_8));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("w1 back, with its CA2 certificate", () -> connected(server, "w1"));
        server.onContainer(container(4));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("w1 has version 4", () -> w1Applied.get(w1Applied.size() - 1).version() == 4);
        RawWorker w2Ca1 = new RawWorker(server.port(), "w2", TlsContexts.client(ca1.resolve("ca.crt"),
                ca1.resolve("w2.crt"), ca1.resolve("w2.key")));
        closeables.add(w2Ca1);
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("a CA1 certificate refused once CA1 is retired", () -> w2Ca1.ended.get() != null);
        assertThat(w2Ca1.raw).isEmpty();
        System.out.println("Revocation: live stream closed " + crlMillis + " ms after the CRL was written, " + denyMillis
                + " ms after the deny list was");
    }

    private List<String> errors() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
