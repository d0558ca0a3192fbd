package io.tokenhost.itests.process;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The remote role as configured live through {@code conf/io.tokenhost.remote.cfg} in a real host
 * process. A refused configuration is logged at ERROR naming the key and the rule, and the role
 * in force stays: a manager without its TLS files, a worker without a manager address, a worker
 * whose {@code worker.id} is not its certificate's CN (one without {@code worker.id} takes the
 * CN), and a bad value while a manager runs, which keeps serving. Plaintext needs {@code
 * insecure=true} and warns; the host keeps serving throughout.
 */
class RemoteConfigurationIT {

    @Test
    void badRemoteConfigurationsAreRefusedWithAReasonAndTheHostKeepsRunning() throws Exception {
        try (Installation installation = Installation.unpack("rcfg")) {
            Path cfg = installation.home.resolve("conf/io.tokenhost.remote.cfg");
            installation.startHeadless();
            installation.awaitReady();
            await(() -> log(installation).contains("Role standalone: no remote distribution"), "standalone by default");
            assertThat(installation.client("token:workers").status()).as("no token:workers when standalone").isNotZero();

            Files.writeString(cfg, "role=manager\nlisten.port=0\n");
            awaitRefused(installation, "tls.ca: must be a readable file (TLS file ", "manager refused without TLS files");
            assertThat(log(installation)).contains("conf/tls/ca.crt does not exist or is not readable);"
                    + " the previous settings stay in force");
            assertThat(installation.client("lb").status()).isZero();
            assertThat(installation.client("token:workers").status()).as("still standalone").isNotZero();

            Files.writeString(cfg, "role=worker\n");
            awaitRefused(installation, "manager.address: must be set for role worker (host:port of the manager)",
                    "worker refused without manager.address");

            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }

            // a worker's id is its certificate's CN: another id is refused at start, none takes the CN
            Path tls = installation.dir.resolve("tls");
            io.tokenhost.itests.support.DevCerts.create(installation.home.resolve("bin/tokenhost-dev-certs"), tls,
                    "Tokenhost development CA", "w1");
            String tlsKeys = "tls.ca=" + tls.resolve("ca.crt") + "\ntls.cert=" + tls.resolve("w1.crt") + "\ntls.key="
                    + tls.resolve("w1.key") + "\n";
            Files.writeString(cfg, "role=worker\nmanager.address=localhost:" + port + "\nworker.id=w2\n" + tlsKeys);
            awaitRefused(installation, "worker.id: must be the CN 'w1' of tls.cert " + tls.resolve("w1.crt")
                    + ", or empty to take it", "worker.id other than the CN refused");
            Files.writeString(cfg, "role=worker\nmanager.address=localhost:" + port + "\n" + tlsKeys);
            await(() -> log(installation).contains("Role worker 'w1': subscribing to the manager at localhost:" + port),
                    "worker without worker.id took its certificate's CN");
            await(() -> installation.client("token:manager").stdout().contains("w1"), "token:manager shows the id");

            String manager = "role=manager\nlisten.host=127.0.0.1\nlisten.port=" + port + "\n";
            Files.writeString(cfg, manager + "insecure=true\n");
            await(() -> log(installation).contains("INSECURE: the remote manager listens on /127.0.0.1:" + port),
                    "plaintext manager started with a warning");
            await(() -> installation.client("token:workers").stdout().contains("No workers connected."), "token:workers");

            // a bad value while the manager runs: refused, and the manager keeps serving on its port
            Files.writeString(cfg, manager + "insecure=maybe\n");
            awaitRefused(installation, "insecure: must be true or false, got 'maybe'", "a bad value while a manager runs");
            assertThat(installation.client("token:workers").stdout()).startsWith("Manager on port " + port + ",");
            assertThat(log(installation)).doesNotContain("Remote manager stopped");
            try (Socket socket = new Socket("127.0.0.1", port)) {
                assertThat(socket.isConnected()).as("the manager still listens").isTrue();
            }
            assertThat(installation.client("token:status").status()).isZero();
        }
    }

    /** The one reaction to a bad value: an ERROR naming the key and the rule; the role in force stays. */
    private static void awaitRefused(Installation installation, String problem, String what) throws Exception {
        await(() -> log(installation).contains("Configuration io.tokenhost.remote refused: " + problem), what);
        assertThat(log(installation)).containsPattern("(?m)^\\S+ ERROR .*Configuration io\\.tokenhost\\.remote refused: "
                + Pattern.quote(problem) + ".*; the previous settings stay in force$");
    }

    private static String log(Installation installation) throws Exception {
        return Installation.read(installation.log());
    }

    private static void await(Await.Condition condition, String what) throws Exception {
        Await.atMost(Duration.ofSeconds(30)).until(what, condition);
    }
}
