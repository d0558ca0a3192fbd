package io.tokenhost.itests.process;

import static io.tokenhost.itests.process.RemoteHosts.PLUGIN_JARS;
import static io.tokenhost.itests.process.RemoteHosts.configure;
import static io.tokenhost.itests.process.RemoteHosts.freePort;
import static io.tokenhost.itests.process.RemoteHosts.read;
import static io.tokenhost.itests.process.RemoteHosts.start;
import static io.tokenhost.itests.process.RemoteHosts.tokenFile;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import io.tokenhost.itests.support.ZooKeeperServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two managers on a 3-node ZooKeeper ensemble (three server processes), one worker listing both
 * (plaintext: this is about the ensemble). One leader obtains; any one ZooKeeper node killed, a
 * manager leads again (the leader keeps or regains the leadership under a higher epoch once its
 * client moved to another node), and the worker holds its tokens throughout and a leader's new
 * tokens afterwards. About 1 minute.
 */
class HaEnsembleIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path zkDir;

    @Test
    void aThreeNodeEnsembleSurvivesTheLossOfOneNode() throws Exception {
        try (ZooKeeperServers ensemble = ZooKeeperServers.start(zkDir, 3);
                Installation m1 = Installation.unpack("ha-ens-m1");
                Installation m2 = Installation.unpack("ha-ens-m2");
                Installation w1 = Installation.unpack("ha-ens-w1")) {
            int p1 = freePort();
            int p2 = freePort();
            manager(m1, p1, ensemble.connectString());
            manager(m2, p2, ensemble.connectString());
            configure(w1, "role=worker\ninsecure=true\nworker.id=w1\nmanager.address=localhost:" + p1 + ",localhost:" + p2
                    + "\n");
            Files.writeString(w1.home.resolve("conf/io.tokenhost.example.receiver.cfg"),
                    "service.name=example\nfile=" + tokenFile(w1) + "\n");
            Files.copy(PLUGIN_JARS.resolve("tokenhost-examples-receiver.jar"), w1.home.resolve("plugins/example-receiver.jar"));
            start(m1);
            start(m2);
            start(w1);
            await(() -> leaders(m1, m2) == 1, "one leader");
            await(() -> read(tokenFile(w1)) != null, "the worker has tokens");

            ensemble.kill(0);
            // the leader may change meanwhile (its session was on the lost node) and push new tokens:
            // what must hold is that the worker is never without tokens
            Await.holdsFor(Duration.ofSeconds(2), "the worker holds tokens while ZooKeeper loses a node",
                    () -> read(tokenFile(w1)) != null);
            await(() -> leaders(m1, m2) == 1, "one leader with 2 of 3 ZooKeeper nodes");
            Installation leader = out(m1, "token:workers").contains("Role: LEADER") ? m1 : m2;
            Installation standby = leader == m1 ? m2 : m1;
            assertThat(out(standby, "token:status")).contains("NOT LEADING");
            byte[] beforeObtain = read(tokenFile(w1));
            RemoteHosts.ok(leader, "token:obtain");
            await(() -> !Arrays.equals(read(tokenFile(w1)), beforeObtain), "the leader's new tokens reach the worker");
        }
    }

    private static int leaders(Installation... managers) throws Exception {
        int n = 0;
        for (Installation m : managers) {
            if (out(m, "token:workers").contains("Role: LEADER")) {
                n++;
            }
        }
        return n;
    }

    private static void manager(Installation manager, int port, String quorum) throws Exception {
        configure(manager, "role=manager\nlisten.host=127.0.0.1\nlisten.port=" + port + "\ninsecure=true\n"
                + "ha.zookeeper.quorum=" + quorum + "\nha.cluster-id=ensemble\nha.advertised-address=localhost:" + port + "\n");
        Files.copy(PLUGIN_JARS.resolve("tokenhost-examples-provider.jar"), manager.home.resolve("plugins/example-provider.jar"));
    }

    /** A shell command's output, "" while it fails (a command not registered yet, say). */
    private static String out(Installation installation, String... command) throws Exception {
        Installation.Result result = installation.client(command);
        return result.status() == 0 ? result.stdout() : "";
    }

    private static void await(Await.Condition condition, String what) throws Exception {
        Await.atMost(WAIT).until(what, condition);
    }
}
