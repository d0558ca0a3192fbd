package io.tokenhost.itests.process;

import static io.tokenhost.itests.process.RemoteHosts.PLUGIN_JARS;
import static io.tokenhost.itests.process.RemoteHosts.certificates;
import static io.tokenhost.itests.process.RemoteHosts.configure;
import static io.tokenhost.itests.process.RemoteHosts.freePort;
import static io.tokenhost.itests.process.RemoteHosts.ok;
import static io.tokenhost.itests.process.RemoteHosts.read;
import static io.tokenhost.itests.process.RemoteHosts.start;
import static io.tokenhost.itests.process.RemoteHosts.tlsKeys;
import static io.tokenhost.itests.process.RemoteHosts.tokenFile;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import io.tokenhost.itests.support.TcpRelay;
import io.tokenhost.itests.support.ZooKeeperServers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manager high availability with real processes: a ZooKeeper server (ZooKeeper's own server main),
 * two managers and three workers, each an unpacked distribution over mutual TLS, every manager
 * reaching ZooKeeper through a TCP relay the test controls, the workers listing both managers and
 * no ZooKeeper. Default timeouts (session 6 s, connection 3 s) and default worker reconnect timing,
 * so the failover figures are what an installation gets. In one sequence (the processes are
 * expensive; about 2 minutes in all):
 *
 * <ol>
 *   <li>one manager leads and obtains, the other stands by without obtaining and says so; every
 *       worker gets the leader's tokens; the metrics endpoints say {@code leader} and {@code
 *       standby}, and {@code /ready} answers 200 on the leader and 429 on the standby (parsed by
 *       Prometheus's own parser, as in {@link MetricsIT});
 *   <li>kill -9 the leader: the standby leads, and every worker holds its tokens within the
 *       failover budget (10 s); its metrics and {@code /ready} turn to the leader's;
 *   <li>the old leader, restarted, is a standby, and its {@code /ready} says so (429);
 *   <li>the leader cut from ZooKeeper (its relay stopped) while its workers stay connected: it
 *       stops pushing, the other leads under a higher epoch, and every worker holds the new
 *       leader's tokens with its fence at that epoch; reconnected, the old leader stands by;
 *   <li>ZooKeeper down: the leader steps down (documented: no manager leads without ZooKeeper),
 *       workers keep their valid tokens; ZooKeeper back (same data): a leader again, under a
 *       higher epoch, and its tokens at every worker.
 * </ol>
 */
class HaFailoverIT {

    /** The failover budget the documented defaults promise. */
    private static final Duration BUDGET = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path zkDir;
    private static ZooKeeperServers zookeeper;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zookeeper = ZooKeeperServers.start(zkDir, 1);
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    @Test
    void theStandbyTakesOverAndADeposedLeaderIsFenced() throws Exception {
        List<Installation> all = new ArrayList<>();
        Map<String, Installation> workers = new LinkedHashMap<>();
        TcpRelay relay1 = new TcpRelay(zookeeper.clientPort(0));
        TcpRelay relay2 = new TcpRelay(zookeeper.clientPort(0));
        relay1.start();
        relay2.start();
        try {
            Installation m1 = Installation.unpack("ha-m1");
            Installation m2 = Installation.unpack("ha-m2");
            all.add(m1);
            all.add(m2);
            Path tls = m1.dir.resolve("tls");
            certificates(m1, tls, "Tokenhost test CA", "m1", "m2", "w1", "w2", "w3");
            int p1 = freePort();
            int p2 = freePort();
            int metrics1 = freePort();
            int metrics2 = freePort();
            haManager(m1, "m1", p1, relay1.port(), tls, metrics1);
            haManager(m2, "m2", p2, relay2.port(), tls, metrics2);
            for (String id : List.of("w1", "w2", "w3")) {
                Installation worker = Installation.unpack("ha-" + id);
                all.add(worker);
                workers.put(id, worker);
                haWorker(worker, id, p1, p2, tls);
            }

            // 1. m1 first, so that it leads; then m2 and the workers
            start(m1);
            m1.awaitReady();
            await(() -> out(m1, "token:workers").contains("Role: LEADER"), "m1 leads");
            start(m2);
            workers.values().forEach(RemoteHosts::start);
            m2.awaitReady();
            await(() -> contains(out(m2, "token:workers"), "Role: STANDBY",
                    "leader: localhost:" + p1), "m2 stands by and names the leader");
            byte[] first = sameTokensEverywhere(workers, null, "m1's tokens at every worker");
            assertThat(ok(m2, "token:status")).contains("NOT LEADING", "the leader is localhost:" + p1);
            assertThat(ok(m1, "token:workers")).contains("standbys: localhost:" + p2);
            assertThat(Installation.read(m2.log())).as("a standby obtains nothing").doesNotContain("Obtained tokens");
            long epoch1 = epoch(m1);
            for (Installation w : workers.values()) {
                assertThat(ok(w, "token:manager")).contains("(leader, epoch " + epoch1 + ")");
            }
            await(() -> ready(metrics1) == 200 && ready(metrics2) == 429, "the leader ready, the standby 429");
            assertLeader(metrics1, 3);
            assertStandby(metrics2);

            // 2. kill -9 the leader: m2 leads, every worker has its tokens within the budget
            long killed = System.nanoTime();
            kill(m1);
            byte[] second = sameTokensEverywhere(workers, first, "m2's tokens at every worker after m1 was killed");
            Duration failover = Duration.ofNanos(System.nanoTime() - killed);
            System.out.printf("HA failover after kill -9 of the leader: every worker held the new leader's tokens"
                    + " after %d ms%n", failover.toMillis());
            assertThat(failover).isLessThanOrEqualTo(BUDGET);
            long epoch2 = epoch(m2);
            assertThat(epoch2).isGreaterThan(epoch1);
            await(() -> ackedEverywhere(m2), "every worker acknowledged m2's container");
            assertThat(Installation.read(m2.log())).contains("Obtained tokens");
            await(() -> ready(metrics2) == 200, "the new leader's /ready answers 200");
            assertLeader(metrics2, 3);

            // 3. the old leader restarted is a standby (its log file goes on from its time as the leader)
            int logBefore = Installation.read(m1.log()).length();
            start(m1);
            m1.awaitReady();
            await(() -> contains(out(m1, "token:workers"), "Role: STANDBY",
                    "leader: localhost:" + p2), "the restarted m1 stands by");
            Await.holdsFor(Duration.ofSeconds(1), "the restarted standby obtains nothing",
                    () -> !Installation.read(m1.log()).substring(logBefore).contains("Obtained tokens"));
            assertThat(Installation.read(m1.log()).substring(logBefore)).as("the restarted standby obtains nothing")
                    .contains("Standing by").doesNotContain("Obtained tokens");
            await(() -> ready(metrics1) == 429, "the restarted standby's /ready answers 429");
            assertStandby(metrics1);

            // 4. cut the leader (m2) from ZooKeeper; its workers stay connected to it until it lets go
            long cut = System.nanoTime();
            relay2.stop();
            await(() -> out(m2, "token:status").contains("NOT LEADING"), "the cut-off leader steps down");
            System.out.printf("HA partition: the cut-off leader stopped leading after %d ms%n",
                    (System.nanoTime() - cut) / 1_000_000);
            byte[] third = sameTokensEverywhere(workers, second, "m1's tokens at every worker after m2 was cut off");
            System.out.printf("HA partition: every worker held the new leader's tokens after %d ms%n",
                    (System.nanoTime() - cut) / 1_000_000);
            long epoch3 = epoch(m1);
            assertThat(epoch3).isGreaterThan(epoch2);
            for (Installation w : workers.values()) {
                await(() -> out(w, "token:manager").contains("nothing applied below leader epoch " + epoch3),
                        "the worker's fence is at the new leader's epoch");
            }
            relay2.start();
            await(() -> contains(out(m2, "token:workers"), "Role: STANDBY",
                    "leader: localhost:" + p1), "m2, back in touch with ZooKeeper, stands by");
            for (Installation w : workers.values()) {
                assertThat(read(tokenFile(w))).as("nothing of the old leader applied since").isEqualTo(third);
                assertThat(ok(w, "token:manager")).contains("(leader, epoch " + epoch3 + ")");
            }

            // 5. ZooKeeper down: no manager leads; workers keep their valid tokens
            zookeeper.kill(0);
            await(() -> out(m1, "token:status").contains("NOT LEADING"), "the leader steps down without ZooKeeper");
            Await.holdsFor(Duration.ofSeconds(3), "every worker keeps its tokens while ZooKeeper is down", () -> {
                for (Installation w : workers.values()) {
                    assertThat(read(tokenFile(w))).as("tokens kept while ZooKeeper is down").isEqualTo(third);
                }
                return true;
            });
            for (Installation w : workers.values()) {
                assertThat(ok(w, "token:status")).contains("example");
            }
            zookeeper.startNode(0);
            zookeeper.awaitServing(0, WAIT);
            byte[] fourth = sameTokensEverywhere(workers, third, "a leader's tokens at every worker after ZooKeeper"
                    + " came back");
            assertThat(fourth).isNotNull();
            Installation leader = ok(m1, "token:workers").contains("Role: LEADER") ? m1 : m2;
            assertThat(epoch(leader)).isGreaterThan(epoch3);
        } finally {
            for (Installation installation : all) {
                installation.close();
            }
            relay1.close();
            relay2.close();
        }
    }

    private static void haManager(Installation manager, String name, int port, int zkPort, Path tls, int metricsPort)
            throws Exception {
        configure(manager, "role=manager\nlisten.host=127.0.0.1\nlisten.port=" + port + "\n"
                + "ha.zookeeper.quorum=127.0.0.1:" + zkPort + "\nha.cluster-id=it\n"
                + "ha.advertised-address=localhost:" + port + "\n" + tlsKeys(tls, name));
        Files.writeString(manager.home.resolve("conf/io.tokenhost.metrics.cfg"), "port=" + metricsPort + "\n");
        Files.copy(PLUGIN_JARS.resolve("tokenhost-examples-provider.jar"), manager.home.resolve("plugins/example-provider.jar"));
    }

    /** The leader's metrics: its role, ready and obtaining, with its workers connected. */
    private static void assertLeader(int metricsPort, int workers) throws Exception {
        assertThat(ready(metricsPort)).as("/ready of the leader").isEqualTo(200);
        Scrape scrape = Scrape.of(metricsPort);
        assertThat(scrape.get("tokenhost_role{role=\"leader\"}")).isEqualTo(1);
        assertThat(scrape.value("tokenhost_role{role=\"standby\"}")).isEmpty();
        assertThat(scrape.get("tokenhost_obtaining_ready{}")).isEqualTo(1);
        assertThat(scrape.get("tokenhost_manager_workers_connected{}")).isEqualTo(workers);
    }

    /** A standby's metrics: its role, 429 on /ready, not obtaining, no workers connected. */
    private static void assertStandby(int metricsPort) throws Exception {
        HttpResponse<String> ready = Scrape.get(metricsPort, "/ready");
        assertThat(ready.statusCode()).as("/ready of a standby").isEqualTo(429);
        assertThat(ready.body()).contains("\"status\":\"standby\"", "\"role\":\"standby\"");
        Scrape scrape = Scrape.of(metricsPort);
        assertThat(scrape.get("tokenhost_role{role=\"standby\"}")).isEqualTo(1);
        assertThat(scrape.value("tokenhost_role{role=\"leader\"}")).isEmpty();
        assertThat(scrape.get("tokenhost_obtaining_ready{}")).isZero();
        assertThat(scrape.get("tokenhost_manager_workers_connected{}")).isZero();
    }

    /** The status /ready answers, -1 while the endpoint does not answer. */
    private static int ready(int metricsPort) {
        try {
            return Scrape.get(metricsPort, "/ready").statusCode();
        } catch (Exception notYet) {
            return -1;
        }
    }

    /** A worker listing both managers, with the default reconnect timing. */
    private static void haWorker(Installation worker, String id, int p1, int p2, Path tls) throws Exception {
        configure(worker, "role=worker\nmanager.address=localhost:" + p1 + ",localhost:" + p2 + "\nworker.id=" + id + "\n"
                + tlsKeys(tls, id));
        // the workers' metrics are MetricsIT's; off here, so that they do not contend for the default port
        Files.writeString(worker.home.resolve("conf/io.tokenhost.metrics.cfg"), "enabled=false\n");
        Files.writeString(worker.home.resolve("conf/io.tokenhost.example.receiver.cfg"),
                "service.name=example\nfile=" + tokenFile(worker) + "\n");
        Files.copy(PLUGIN_JARS.resolve("tokenhost-examples-receiver.jar"), worker.home.resolve("plugins/example-receiver.jar"));
    }

    private static long epoch(Installation manager) throws Exception {
        String text = ok(manager, "token:workers");
        Matcher m = Pattern.compile("Role: LEADER, epoch (\\d+)").matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Every worker connected to this manager acknowledged its current container version. */
    private static boolean ackedEverywhere(Installation manager) throws Exception {
        String text = out(manager, "token:workers");
        Matcher m = Pattern.compile("current container version (\\d+)").matcher(text);
        if (!m.find()) {
            return false;
        }
        String version = m.group(1);
        long acked = text.lines().filter(l -> l.matches("w\\d\\s.*") && l.contains("connected")
                && l.matches(".*\\s" + version + "\\s.*")).count();
        return acked == 3;
    }

    private static byte[] sameTokensEverywhere(Map<String, Installation> workers, byte[] previous, String what)
            throws Exception {
        return RemoteHosts.awaitSameTokens(workers.values(), previous, what, Await.atMost(WAIT).every(Duration.ofMillis(50)));
    }

    private static void kill(Installation installation) throws Exception {
        Process host = installation.host();
        host.destroyForcibly();
        assertThat(host.waitFor(20, TimeUnit.SECONDS)).isTrue();
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
