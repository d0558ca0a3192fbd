package io.tokenhost.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.DevCerts;
import io.tokenhost.remote.access.AccessPolicy;
import io.tokenhost.remote.config.RemoteConfig;
import io.tokenhost.remote.manager.ListenOptions;
import io.tokenhost.remote.manager.ManagerServer;
import io.tokenhost.remote.tls.TlsContexts;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scopes proven on the wire: a real manager over mutual TLS, and workers that record the raw frames
 * the manager sent them (no WorkerClient in between, so nothing is filtered at the receiving end).
 */
class ScopesOnTheWireTest {

    private static final Path DEV_CERTS = DevCerts.scriptInSources(ScopesOnTheWireTest.class);

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ALICE_SECRET = "ALICE-SECRET-5e1d";
    private static final String BOB_SECRET = "BOB-SECRET-9a7c";
    private static final String SHARED_SECRET = "SHARED-SECRET-33b0";

    @TempDir
    static Path tmp;
    static Path certs;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void certificates() throws Exception {
        certs = DevCerts.create(DEV_CERTS, tmp.resolve("certs"), "Test CA", "manager", "etl-alice-1", "etl-bob-1");
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private static AccessPolicy policy(Map<String, String> keys) {
        return AccessPolicy.parse(ConfigValues.of(keys, RemoteConfig.class));
    }

    private static TokenContainer container(long version) {
        return TokenContainer.of(version, Map.of(
                "hadoopfs.alice", ALICE_SECRET.getBytes(StandardCharsets.UTF_8),
                "hadoopfs.bob", BOB_SECRET.getBytes(StandardCharsets.UTF_8),
                "shared", SHARED_SECRET.getBytes(StandardCharsets.UTF_8)));
    }

    private RawWorker worker(int port, String id) throws Exception {
        RawWorker worker = new RawWorker(port, id, TlsContexts.client(certs.resolve("ca.crt"), certs.resolve(id + ".crt"),
                certs.resolve(id + ".key")));
        closeables.add(worker);
        return worker;
    }

    @Test
    void aWorkerIsSentOnlyItsServicesAndAPolicyChangeWithdrawsAndGrantsAtOnce() throws Exception {
        ManagerServer server = new ManagerServer(ListenOptions.mutualTls(new InetSocketAddress("127.0.0.1", 0),
                TlsContexts.server(certs.resolve("ca.crt"), certs.resolve("manager.crt"), certs.resolve("manager.key"))),
                Clock.systemUTC()).start();
        closeables.add(server);
        server.accessPolicy(policy(Map.of("access.hadoopfs.alice", "etl-alice-*", "access.hadoopfs.bob", "etl-bob-*",
                "access.default", "deny")));
        server.onContainer(container(1));
        RawWorker alice = worker(server.port(), "etl-alice-1");
        RawWorker bob = worker(server.port(), "etl-bob-1");
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("both workers got a push", () -> !alice.pushed.isEmpty() && !bob.pushed.isEmpty());

        assertThat(alice.last().services()).containsExactly("hadoopfs.alice");
        assertThat(bob.last().services()).containsExactly("hadoopfs.bob");
        assertThat(alice.everythingReceived()).contains(ALICE_SECRET).doesNotContain(BOB_SECRET).doesNotContain(SHARED_SECRET);
        assertThat(bob.everythingReceived()).contains(BOB_SECRET).doesNotContain(ALICE_SECRET).doesNotContain(SHARED_SECRET);
        assertThat(server.grantedServices("etl-alice-1")).hasValueSatisfying(s -> assertThat(s).containsExactly("hadoopfs.alice"));
        assertThat(alice.last().version()).isEqualTo(1);

        // a new container: still scoped, version as the container's
        server.onContainer(container(2));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("version 2 at both", () -> alice.last().version() == 2 && bob.last().version() == 2);
        assertThat(alice.last().services()).containsExactly("hadoopfs.alice");

        // live change: alice loses her service and both get 'shared'
        int alicePushes = alice.pushed.size();
        long changed = System.nanoTime();
        server.accessPolicy(policy(Map.of("access.hadoopfs.bob", "etl-bob-*", "access.shared", "etl-*",
                "access.default", "deny")));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("the changed policy reached both workers", () -> alice.pushed.size() > alicePushes && bob.last().services().contains("shared"));
        long withdrawnMillis = (alice.receivedAtNanos.get(alicePushes) - changed) / 1_000_000;
        assertThat(withdrawnMillis).as("withdrawn within 1 s").isLessThan(1000);
        assertThat(alice.last().services()).containsExactly("shared");
        assertThat(alice.last().version()).as("the same container under the next version").isEqualTo(3);
        assertThat(bob.last().services()).containsExactly("hadoopfs.bob", "shared");
        assertThat(bob.last().version()).isEqualTo(3);
        String aliceAfter = new String(alice.raw.get(alice.raw.size() - 1), StandardCharsets.ISO_8859_1);
        assertThat(aliceAfter).contains(SHARED_SECRET).doesNotContain(ALICE_SECRET).doesNotContain(BOB_SECRET);

        // versions only grow for each worker, across containers and policy changes
        server.onContainer(container(3));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("container 3 as version 4", () -> alice.last().version() == 4 && bob.last().version() == 4);
        for (RawWorker w : List.of(alice, bob)) {
            List<Long> versions = w.pushed.stream().map(TokenContainer::version).toList();
            assertThat(versions).isSorted().doesNotHaveDuplicates();
        }
        assertThat(bob.everythingReceived()).doesNotContain(ALICE_SECRET);
        System.out.println("Scopes: a withdrawn service left the worker " + withdrawnMillis + " ms after the policy change");
    }
}
