package io.tokenhost.itests.process;

import static io.tokenhost.itests.process.RemoteHosts.PLUGIN_JARS;
import static io.tokenhost.itests.process.RemoteHosts.configure;
import static io.tokenhost.itests.process.RemoteHosts.freePort;
import static io.tokenhost.itests.process.RemoteHosts.ok;
import static io.tokenhost.itests.process.RemoteHosts.start;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import io.tokenhost.itests.support.ZooKeeperServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input for manager high availability, with real processes (plaintext: this is about the
 * election, not TLS): ZooKeeper unreachable at start, an ACL refusal, and two managers with
 * different providers or different {@code access.*} keys each give an ERROR naming the problem
 * (and the standby joins again once they agree); the host keeps running and {@code token:status}
 * says why it is not leading. One manager is reconfigured live from one case to the next. A
 * difference counts after {@code ha.mismatch-grace}, set to {@value #MISMATCH_GRACE} here (the default
 * 20 s would make the two differences cost 40 s of waiting).
 */
class HaBadInputIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MISMATCH_GRACE = "3s";

    @TempDir
    Path zkDir;

    @Test
    void eachProblemIsAnErrorAndTheHostSaysWhyItDoesNotLead() throws Exception {
        try (ZooKeeperServers zookeeper = ZooKeeperServers.start(zkDir, 1);
                Installation a = Installation.unpack("ha-bad-a");
                Installation b = Installation.unpack("ha-bad-b")) {
            int deadPort = freePort();
            int pa = freePort();
            int pb = freePort();

            // 1. ZooKeeper unreachable at start
            configure(a, manager(pa, "127.0.0.1:" + deadPort, "bad"));
            Files.copy(PLUGIN_JARS.resolve("tokenhost-examples-provider.jar"), a.home.resolve("plugins/example-provider.jar"));
            start(a);
            a.awaitReady();
            await(() -> contains(out(a, "token:status"), "NOT LEADING",
                    "cannot reach ZooKeeper at 127.0.0.1:" + deadPort), "token:status says ZooKeeper is unreachable");
            assertThat(Installation.read(a.log())).contains("ERROR").contains("cannot reach ZooKeeper at 127.0.0.1:"
                    + deadPort + " (ha.zookeeper.quorum)");
            assertThat(Installation.read(a.log())).as("no obtain without the election").doesNotContain("Obtained tokens");

            // 2. an ACL refusal: the cluster's node may be read by anyone but changed by nobody
            try (CuratorFramework admin = CuratorFrameworkFactory.newClient(zookeeper.connectString(), new RetryOneTime(500))) {
                admin.start();
                admin.blockUntilConnected();
                admin.create().creatingParentsIfNeeded().withACL(List.of(new ACL(ZooDefs.Perms.READ,
                        ZooDefs.Ids.ANYONE_ID_UNSAFE))).forPath("/tokenhost/locked");
            }
            configure(a, manager(pa, zookeeper.connectString(), "locked"));
            await(() -> out(a, "token:status").contains("ZooKeeper refused access to /tokenhost/locked"),
                    "token:status names the ACL refusal");
            assertThat(Installation.read(a.log())).contains("ERROR").contains("(ACL; check ha.zookeeper.root");

            // 3. two managers of one cluster with different providers: the standby says so and stays out
            configure(a, manager(pa, zookeeper.connectString(), "mixed"));
            await(() -> out(a, "token:workers").contains("Role: LEADER"), "a leads cluster 'mixed'");
            configure(b, manager(pb, zookeeper.connectString(), "mixed")); // no provider in plugins/
            start(b);
            b.awaitReady();
            await(() -> out(b, "token:status").contains("this manager provides [] but the leader localhost:" + pa
                    + " provides [example]"), "the standby names both provider lists");
            assertThat(Installation.read(b.log())).contains("ERROR").contains("managers of one cluster must run the same"
                    + " providers");

            // 3b. b gets the same provider: it joins the election again, as a standby
            Files.copy(PLUGIN_JARS.resolve("tokenhost-examples-provider.jar"), b.home.resolve("plugins/example-provider.jar"));
            String standingBy = "standby: the leader is localhost:" + pa;
            await(() -> out(b, "token:status").contains(standingBy), "b joined the election again");

            // 3c. the leader gets access.* keys (applied in place) and b has none: after the grace period b
            //     leaves the election naming both policies; given the same keys it joins again
            String access = "access.example=w*\naccess.default=deny\n";
            configure(a, manager(pa, zookeeper.connectString(), "mixed") + access);
            await(() -> out(b, "token:status").contains("this manager's access policy is none (no access.* keys: every"
                    + " service to every worker) but the leader localhost:" + pa + "'s is 'default deny; example -> w*':"
                    + " managers of one cluster must have the same access.* keys"), "the standby names both policies");
            assertThat(out(a, "token:workers")).contains("Role: LEADER");
            configure(b, manager(pb, zookeeper.connectString(), "mixed") + access);
            await(() -> out(b, "token:status").contains(standingBy), "b joined the election again with the same keys");

            // 4. a malformed ha key is refused naming it; the host runs on
            configure(b, manager(pb, zookeeper.connectString(), "no/slash"));
            await(() -> out(b, "token:status").contains("ha.cluster-id: must be"), "token:status names ha.cluster-id");
            assertThat(a.host().isAlive()).isTrue();
            assertThat(b.host().isAlive()).isTrue();
        }
    }

    private static String manager(int port, String quorum, String cluster) {
        return "role=manager\nlisten.host=127.0.0.1\nlisten.port=" + port + "\ninsecure=true\nha.zookeeper.quorum=" + quorum
                + "\nha.cluster-id=" + cluster + "\nha.advertised-address=localhost:" + port + "\nha.mismatch-grace="
                + MISMATCH_GRACE + "\n";
    }

    /** A shell command's output, "" while it fails (a command not registered yet, say). */
    private static String out(Installation installation, String... command) throws Exception {
        Installation.Result result = installation.client(command);
        return result.status() == 0 ? result.stdout() : "";
    }

    /** Whether {@code text} (one command's output) contains every one of {@code parts}. */
    private static boolean contains(String text, String... parts) {
        for (String part : parts) {
            if (!text.contains(part)) {
                return false;
            }
        }
        return true;
    }

    private static void await(Await.Condition condition, String what) throws Exception {
        Await.atMost(WAIT).until(what, condition);
    }
}
