package io.tokenhost.itests.process;

import static io.tokenhost.itests.process.RemoteHosts.certificates;
import static io.tokenhost.itests.process.RemoteHosts.exampleManager;
import static io.tokenhost.itests.process.RemoteHosts.exampleWorker;
import static io.tokenhost.itests.process.RemoteHosts.freePort;
import static io.tokenhost.itests.process.RemoteHosts.read;
import static io.tokenhost.itests.process.RemoteHosts.tokenFile;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A planned restart of the manager: SIGTERM (as systemd or a rolling update sends it) must not
 * withdraw the worker's tokens, although the manager's providers leave as its plugins stop. About
 * 15 s: a manager and a worker process from the distribution, mutual TLS.
 */
class ManagerStopIT {

    @Test
    void aManagerStoppedGracefullyLeavesTheWorkersTheirTokens() throws Exception {
        try (Installation manager = Installation.unpack("stop-m"); Installation worker = Installation.unpack("stop-w1")) {
            Path tls = manager.dir.resolve("tls");
            certificates(manager, tls, "Tokenhost test CA", "manager", "w1");
            int port = freePort();
            exampleManager(manager, port, tls);
            exampleWorker(worker, "w1", port, tls);
            manager.startHeadless();
            worker.startHeadless();
            Path file = tokenFile(worker);
            byte[] tokens = Await.atMost(Duration.ofSeconds(45)).until("the worker's token file", () -> read(file),
                    bytes -> bytes != null);

            Process host = manager.host();
            host.destroy(); // SIGTERM
            assertThat(host.waitFor(30, TimeUnit.SECONDS)).as("the manager exits").isTrue();

            Await.holdsFor(Duration.ofSeconds(2), "the worker keeps its token file as it was",
                    () -> Arrays.equals(read(file), tokens));
            assertThat(Installation.read(manager.log())).contains("The host stops: no more containers go to the workers");
            assertThat(Installation.read(worker.log())).contains("keeping the last good tokens (version 1)")
                    .doesNotContain("from the manager (0 services)");
        }
    }
}
