package io.tokenhost.itests.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The remote role as configured live through {@code conf/io.tokenhost.remote.cfg} in a real host
 * process: a manager without its TLS files refuses to start (and says why), a worker without a
 * manager address is refused naming the key, a worker whose {@code worker.id} is not its
 * certificate's CN is refused naming both and one without {@code worker.id} takes the CN,
 * plaintext needs {@code insecure=true} and warns; the host keeps serving throughout.
 */
class RemoteConfigurationIT {

    private static final Await AWAIT = Await.atMost(Duration.ofSeconds(30));

    @Test
    void badRemoteConfigurationsAreRefusedWithAReasonAndTheHostKeepsRunning() throws Exception {
        try (Installation installation = Installation.unpack("rcfg")) {
            Path cfg = installation.home.resolve("conf/io.tokenhost.remote.cfg");
            installation.startHeadless();
            installation.awaitReady();
            AWAIT.until("standalone by default", () -> log(installation).contains("Role standalone: no remote distribution"));
            assertThat(installation.client("token:workers").status()).as("no token:workers when standalone").isNotZero();

            Files.writeString(cfg, "role=manager\nlisten.port=0\n");
            AWAIT.until("manager refused without TLS files",
                    () -> log(installation).contains("Cannot start the MANAGER role, remote distribution is off: TLS file "));
            assertThat(log(installation)).contains("conf/tls/ca.crt does not exist or is not readable");
            assertThat(installation.client("lb").status()).isZero();
            assertThat(installation.client("token:workers").status()).isNotZero();

            Files.writeString(cfg, "role=worker\n");
            AWAIT.until("worker refused without manager.address",
                    () -> log(installation).contains("Configuration io.tokenhost.remote refused, remote distribution is off:"
                            + " manager.address is required for role worker"));

            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }

            // a worker's id is its certificate's CN: another id is refused at start, none takes the CN
            Path tls = installation.dir.resolve("tls");
            Process certs = new ProcessBuilder(installation.home.resolve("bin/tokenhost-dev-certs").toString(),
                    tls.toString(), "w1").inheritIO().start();
            assertThat(certs.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(certs.exitValue()).isZero();
            String tlsKeys = "tls.ca=" + tls.resolve("ca.crt") + "\ntls.cert=" + tls.resolve("w1.crt") + "\ntls.key="
                    + tls.resolve("w1.key") + "\n";
            Files.writeString(cfg, "role=worker\nmanager.address=localhost:" + port + "\nworker.id=w2\n" + tlsKeys);
            AWAIT.until("worker.id other than the CN refused",
                    () -> log(installation).contains("Cannot start the WORKER role, remote distribution is off: worker.id:"
                            + " 'w2' is not the CN 'w1' of tls.cert " + tls.resolve("w1.crt")));
            Files.writeString(cfg, "role=worker\nmanager.address=localhost:" + port + "\n" + tlsKeys);
            AWAIT.until("worker without worker.id took its certificate's CN",
                    () -> log(installation).contains("Role worker 'w1': subscribing to the manager at localhost:" + port));
            AWAIT.until("token:manager shows the id", () -> installation.client("token:manager").stdout().contains("w1"));

            Files.writeString(cfg, "role=manager\nlisten.host=127.0.0.1\nlisten.port=" + port + "\ninsecure=true\n");
            AWAIT.until("plaintext manager started with a warning",
                    () -> log(installation).contains("INSECURE: the remote manager listens on /127.0.0.1:" + port));
            AWAIT.until("token:workers",
                    () -> installation.client("token:workers").stdout().contains("No workers connected."));
            assertThat(installation.client("token:status").status()).isZero();
        }
    }

    private static String log(Installation installation) throws Exception {
        return Installation.read(installation.log());
    }
}
