package io.tokenhost.remote.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.itests.support.Await;
import io.tokenhost.remote.config.PreparedRole;
import io.tokenhost.remote.manager.ListenOptions;
import io.tokenhost.remote.manager.ManagerServer;
import io.tokenhost.remote.manager.WorkerInfo;
import io.tokenhost.remote.worker.ConnectionOptions;
import io.tokenhost.remote.worker.LastContainerFile;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A worker role as the remote bundle runs it (plaintext, against a real {@link ManagerServer}):
 * every applied container is saved before it is acknowledged, and a worker started while the
 * manager is down restores what is still valid at once; the manager's next container replaces it
 * even with a lower version.
 */
class WorkerPersistenceTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Await AWAIT = Await.atMost(WAIT).every(Duration.ofMillis(10));

    @TempDir
    Path data;

    @Test
    void aWorkerSavesEveryContainerAndARestartedOneRestoresWhatIsStillValidWhileTheManagerIsDown() throws Exception {
        Path file = data.resolve("worker").resolve(LastContainerFile.NAME);
        Instant now = Instant.now();
        TokenContainer first = TokenContainer.of(40, Map.of("hdfs", bytes("h40"), "s3", bytes("s40"), "kafka", bytes("k40")),
                Map.of("hdfs", now.plus(Duration.ofHours(1)), "s3", now.plusMillis(1500)));
        int port;
        List<TokenContainer> applied = new CopyOnWriteArrayList<>();
        try (ManagerServer manager = manager(0)) {
            port = manager.port();
            manager.onContainer(first);
            try (RunningRole worker = RunningRole.start(worker(port), framework(), applied::add, data)) {
                AWAIT.until("version 40 acknowledged", () -> acked(manager) == 40);
                LastContainerFile.Saved saved = new LastContainerFile(file, Clock.systemUTC()).read().orElseThrow();
                assertThat(saved.container()).as("saved before it was acknowledged").isEqualTo(first);
                assertThat(saved.managerEpoch()).isNotZero();
                assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
                assertThat(Files.getPosixFilePermissions(file.getParent()))
                        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            }
        }
        assertThat(applied).containsExactly(first);
        AWAIT.until("s3's tokens expired", () -> Instant.now().isAfter(now.plusMillis(1600)));

        // the manager is down: the restarted worker restores hdfs and kafka, not the expired s3, at once
        applied.clear();
        try (RunningRole worker = RunningRole.start(worker(port), framework(), applied::add, data)) {
            assertThat(applied).hasSize(1);
            TokenContainer restored = applied.get(0);
            assertThat(restored.version()).isEqualTo(40);
            assertThat(restored.services()).containsExactly("hdfs", "kafka");
            assertThat(restored.validUntil("hdfs")).isEqualTo(first.validUntil("hdfs"));

            // the manager comes back, restarted: its version 1 replaces the restored 40, here and on disk
            TokenContainer restarted = TokenContainer.of(1, Map.of("hdfs", bytes("h1")));
            try (ManagerServer manager = manager(port)) {
                manager.onContainer(restarted);
                AWAIT.until("version 1 acknowledged", () -> acked(manager) == 1);
                assertThat(applied).containsExactly(restored, restarted);
                assertThat(new LastContainerFile(file, Clock.systemUTC()).read().orElseThrow().container())
                        .isEqualTo(restarted);
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ManagerServer manager(int port) throws Exception {
        return new ManagerServer(ListenOptions.insecurePlaintext(new InetSocketAddress("127.0.0.1", port)),
                Clock.systemUTC()).start();
    }

    private static PreparedRole.Worker worker(int port) {
        return new PreparedRole.Worker(ConnectionOptions.insecurePlaintext("localhost", port, "w1", Duration.ofSeconds(30)),
                Duration.ofMillis(50), Duration.ofMillis(200), 0, Duration.ofHours(1), java.util.Optional.empty());
    }

    private static long acked(ManagerServer server) {
        return server.workers().stream().filter(w -> w.workerId().equals("w1") && w.connected())
                .mapToLong(WorkerInfo::ackedVersion).max().orElse(-1);
    }

    /** A bundle context that accepts registrations and nothing else. */
    private BundleContext framework() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("registerService")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                            (p, m, a) -> null);
                });
    }
}
