package io.tokenhost.itests.hbase;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Installation;
import io.tokenhost.sandbox.hbase.ReaderJvm;
import io.tokenhost.sandbox.hbase.SecureHBase;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.hbase.security.token.AuthenticationTokenIdentifier;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The HBase bundle beside the Hadoop bundle in the real distribution (Felix, its own process),
 * against a real KDC, a secure HDFS and a secure HBase with the {@code TokenProvider} coprocessor
 * and ACLs, all in this JVM ({@link SecureHBase}, one per class); reads by separate JVMs that have
 * only the merged token file. HBase tokens live {@link #TOKEN_LIFETIME}, so that several are
 * re-obtained within the test: HBase tokens cannot be renewed, the host obtains new ones before the
 * expiration date written in them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HBaseTokensIT {

    static final Duration TOKEN_LIFETIME = Duration.ofSeconds(16);
    private static final Duration OBTAIN = Duration.ofSeconds(90);
    private static final String HBASE_KIND = "HBASE_AUTH_TOKEN";
    private static final String HDFS_KIND = "HDFS_DELEGATION_TOKEN";
    private static final Pattern HADOOP_VERSION = Pattern.compile("Hadoop (\\d+\\.\\d+\\.\\d+\\S*)");
    /**
     * Re-obtain at half the validity (8 s of the 16 s) instead of the default three quarters: the
     * same re-obtains in two thirds of the time, each new token 8 s before the previous expires.
     */
    private static final Map<String, String> RE_OBTAIN_AT_HALF = Map.of("renewal.time-ratio", "0.5");
    /**
     * HBase client settings under which an obtain with ZooKeeper unreachable fails in a few seconds
     * rather than the ~11 s of the bundle's defaults (one ZooKeeper try per read, two client attempts).
     * Provider {@code hbase.nozk} keeps the defaults, so that they stay covered.
     */
    private static final Map<String, String> FAIL_FAST = Map.of("zookeeper.recovery.retry", "0",
            "hbase.client.retries.number", "1", "hbase.client.pause", "100");

    static SecureHBase cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        long started = System.nanoTime();
        cluster = SecureHBase.start(TokenhostWithHBase.IT_DIR.resolve("cluster"), TOKEN_LIFETIME);
        System.out.printf("[figures] KDC + secure HDFS + secure HBase up in %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * One token file with the HDFS and the HBase token, read by a token-only JVM (refused without it);
     * three HBase tokens re-obtained, each before the previous one expired, with reads succeeding
     * after each; each bundle runs its own Hadoop; no secret in the logs. Meanwhile, providers with
     * an unknown quorum, a wrong principal and a missing keytab fail, naming the problem, and the
     * others keep serving.
     */
    @Test
    @Order(1)
    void oneTokenFileForHdfsAndHBaseKeepsWorkingAcrossReObtains() throws Exception {
        long started = System.nanoTime();
        Path otherKeytab = cluster.createKeytab("other");
        int nobodyListens;
        try (ServerSocket free = new ServerSocket(0)) {
            nobodyListens = free.getLocalPort();
        }
        try (TokenhostWithHBase t = TokenhostWithHBase.prepare(cluster, "flow", RE_OBTAIN_AT_HALF)) {
            t.host.writeConfig("io.tokenhost.hbase.cluster-nozk", t.hbaseConfig(Map.of(
                    "hbase.zookeeper.property.clientPort", Integer.toString(nobodyListens))));
            t.host.writeConfig("io.tokenhost.hbase.cluster-wrongprincipal", t.hbaseConfig(Map.of(
                    "security.kerberos.login.keytab", otherKeytab.toString())));
            Path missing = otherKeytab.resolveSibling("missing.keytab");
            t.host.writeConfig("io.tokenhost.hbase.cluster-nokeytab", t.hbaseConfig(Map.of(
                    "security.kerberos.login.keytab", missing.toString())));

            // The read without a token file needs no host: it runs while the host starts.
            CompletableFuture<ReaderJvm.Result> withoutTokens = CompletableFuture.supplyAsync(() -> {
                try {
                    return t.reader.read(Optional.empty());
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            t.start();
            ReaderJvm.Result without = withoutTokens.get(3, TimeUnit.MINUTES);
            assertThat(without.readHdfs()).as("HDFS read without the token file: %s", without.output()).isFalse();
            assertThat(without.readHBase()).as("HBase read without the token file: %s", without.output()).isFalse();
            assertThat(without.output()).contains("reader: hdfs refused", "reader: hbase refused");

            byte[] first = t.awaitTokenFile(null, c -> c.numberOfTokens() == 2, OBTAIN);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(t.tokenFile))).isEqualTo("rw-------");
            assertThat(TokenhostWithHBase.token(first, HDFS_KIND)).isPresent();
            Token<? extends TokenIdentifier> hbaseToken = TokenhostWithHBase.token(first, HBASE_KIND).orElseThrow();
            AuthenticationTokenIdentifier id = id(hbaseToken);
            assertThat(id.getUsername()).isEqualTo(cluster.clientPrincipal());
            assertThat(id.getExpirationDate() - id.getIssueDate()).as("the cluster's token lifetime")
                    .isEqualTo(TOKEN_LIFETIME.toMillis());
            assertThat(t.statusLine("hbase")).contains("VALID");
            assertThat(t.statusLine("hadoopfs")).contains("VALID");
            assertReadsBoth(t);

            List<byte[]> versions = new ArrayList<>(List.of(first));
            AuthenticationTokenIdentifier previous = id;
            for (int cycle = 1; cycle <= 3; cycle++) {
                long previousSequence = previous.getSequenceNumber();
                byte[] next = t.awaitTokenFile(versions.get(versions.size() - 1), c -> c.numberOfTokens() == 2
                        && c.getAllTokens().stream().anyMatch(k -> k.getKind().toString().equals(HBASE_KIND)
                                && sequence(k) != previousSequence), TOKEN_LIFETIME.multipliedBy(3));
                versions.add(next);
                AuthenticationTokenIdentifier nextId = id(TokenhostWithHBase.token(next, HBASE_KIND).orElseThrow());
                assertThat(nextId.getIssueDate()).as("cycle %d: the new token was issued before the previous one expired", cycle)
                        .isLessThan(previous.getExpirationDate());
                assertReadsBoth(t);
                previous = nextId;
            }
            assertThat(t.statusLine("hbase")).contains("VALID");

            // Bad input, while the good providers kept serving above.
            assertThat(t.awaitStatus("hbase.nozk", line -> line.contains("FAILING"), OBTAIN, "FAILING"))
                    .contains("ZooKeeper 127.0.0.1 (client port " + nobodyListens);
            assertThat(t.awaitStatus("hbase.wrongprincipal", line -> line.contains("FAILING"), OBTAIN, "FAILING"))
                    .contains(cluster.clientPrincipal()).contains(otherKeytab.toString());
            assertThat(t.awaitStatus("hbase.nokeytab", line -> line.contains("FAILING"), OBTAIN, "FAILING"))
                    .contains("security.kerberos.login.keytab").contains(missing.toString());

            // Each bundle runs its own Hadoop, and they differ.
            String hadoopUser = t.host.client("hadoop:user").stdoutIfOk();
            String hbaseUser = t.host.client("hbase:user").stdoutIfOk();
            String hadoopBundles = version(hadoopUser);
            String hbaseBundles = version(hbaseUser);
            System.out.println("[figures] hadoop:user: " + hadoopUser.lines().findFirst().orElse("")
                    + "\n[figures] hbase:user: " + hbaseUser);
            assertThat(hadoopBundles).isEqualTo("3.4.3");
            assertThat(hbaseBundles).as("the HBase bundle's Hadoop").isNotEqualTo(hadoopBundles);
            assertThat(hbaseUser).contains("HBase 2.6.");

            TokenhostWithHBase.assertNoSecretIn(t.host.log(), versions);
            TokenhostWithHBase.assertNoSecretInOutput(t.host.hostOutput(), versions);
            assertThat(t.host.host().isAlive()).isTrue();
        }
        System.out.printf("[figures] merged-token-file test took %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    /** ZooKeeper unreachable for the host: hbase FAILING, retried, while hadoopfs stays VALID; back: VALID with a new token. */
    @Test
    @Order(2)
    void zooKeeperDownIsReportedRetriedAndRecovered() throws Exception {
        long started = System.nanoTime();
        try (TokenhostWithHBase t = TokenhostWithHBase.prepare(cluster, "zookeeper-outage", RE_OBTAIN_AT_HALF)) {
            t.host.writeConfig("io.tokenhost.hbase", t.hbaseConfig(FAIL_FAST));
            t.start();
            byte[] first = t.awaitTokenFile(null, c -> c.numberOfTokens() == 2, OBTAIN);
            long firstSequence = sequence(TokenhostWithHBase.token(first, HBASE_KIND).orElseThrow());
            cluster.stopZooKeeperSwitch();
            String failing;
            try {
                failing = t.awaitStatus("hbase", line -> line.contains("FAILING") && failures(t) >= 2,
                        OBTAIN, "FAILING after two failed tries");
                assertThat(t.statusLine("hadoopfs")).contains("VALID");
            } finally {
                cluster.startZooKeeperSwitch();
            }
            assertThat(failing).contains("ZooKeeper 127.0.0.1 (client port " + cluster.zooKeeperSwitchPort());
            byte[] after = t.awaitTokenFile(first, c -> c.getAllTokens().stream().anyMatch(k ->
                    k.getKind().toString().equals(HBASE_KIND) && sequence(k) != firstSequence), OBTAIN);
            assertThat(t.awaitStatus("hbase", line -> line.contains("VALID"), OBTAIN, "VALID again")).contains("VALID");
            assertThat(TokenhostWithHBase.token(after, HDFS_KIND)).isPresent();
            assertReadsBoth(t);
        }
        System.out.printf("[figures] ZooKeeper outage test took %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    /**
     * Ten updates of the HBase bundle in a running host, each followed by a real obtain by the new
     * revision: metaspace used after full GCs grows by at most 10 MB (old revisions are collected).
     */
    @Test
    @Order(3)
    void tenUpdatesOfTheBundleLeaveNoRevisionBehind() throws Exception {
        long started = System.nanoTime();
        int updates = 10;
        try (TokenhostWithHBase t = TokenhostWithHBase.prepare(cluster, "hot-swap")) {
            t.start();
            awaitCount(t, READY, 1);
            awaitCount(t, OBTAINED, 1);
            long pid = t.host.host().pid();
            JvmFigures before = JvmFigures.measure(pid);
            Path bundle = TokenhostWithHBase.ARTIFACTS.resolve("tokenhost-hbase-bundle.jar");
            Path plugin = t.host.plugins().resolve("tokenhost-hbase-bundle.jar");
            for (int i = 1; i <= updates; i++) {
                t.host.dropPlugin(bundle, "tokenhost-hbase-bundle.jar");
                Files.setLastModifiedTime(plugin, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(i)));
                awaitCount(t, READY, i + 1);
                awaitCount(t, OBTAINED, count(t, OBTAINED) + 1);
            }
            // Idle IPC connection threads end after 10 s and pin the revision that used them until then:
            // wait until the old revisions' class loaders are gone, at most the 12 s this test used to
            // sleep (so the measure below, which judges, comes no later than it did).
            awaitBundleClassLoaders(pid, before.bundleClassLoaders(), Duration.ofSeconds(12));
            JvmFigures after = JvmFigures.measure(pid);
            double growth = after.metaspaceMb() - before.metaspaceMb();
            System.out.printf("[figures] hbase bundle hot swap: before %s%n[figures] after %d updates: %s%n"
                    + "[figures] metaspace growth after GC: %.1f MB (%.2f MB per update)%n", before, updates, after,
                    growth, growth / updates);
            if (growth > 10.0) {
                System.out.println("[figures] " + JvmFigures.suspects(pid, updates));
            }
            assertThat(growth).as("metaspace growth after %d updates, MB", updates).isLessThanOrEqualTo(10.0);
            assertThat(t.statusLine("hbase")).contains("VALID");
        }
        System.out.printf("[figures] hot-swap test took %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    /**
     * Polls the live bundle class loaders (each poll after a full GC) until there are no more than
     * {@code wanted}, for at most {@code atMost}; prints how long it took. Not an assertion: running
     * out only ends the wait, the metaspace figure measured next is what the test judges.
     */
    private static void awaitBundleClassLoaders(long pid, long wanted, Duration atMost) throws Exception {
        long start = System.nanoTime();
        String outcome;
        try {
            long live = io.tokenhost.itests.support.Await.atMost(atMost).every(Duration.ofMillis(500)).until(
                    "at most " + wanted + " bundle class loaders", () -> JvmFigures.bundleClassLoaders(pid), n -> n <= wanted);
            outcome = Long.toString(live);
        } catch (AssertionError stillMore) {
            outcome = "still more: " + stillMore.getMessage();
        }
        System.out.printf("[figures] bundle class loaders %s (before the updates %d) after %d ms%n", outcome, wanted,
                Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    private static final String READY = "hbase provider ready";
    private static final String OBTAINED = "hbase: obtained HBASE_AUTH_TOKEN";

    private static int count(TokenhostWithHBase t, String text) throws Exception {
        String log = Installation.read(t.host.log());
        int n = 0;
        for (int i = log.indexOf(text); i >= 0; i = log.indexOf(text, i + 1)) {
            n++;
        }
        return n;
    }

    private static void awaitCount(TokenhostWithHBase t, String text, int wanted) throws Exception {
        t.showingTheLogOnTimeout(() -> {
            io.tokenhost.itests.support.Await.atMost(OBTAIN).until("'" + text + "' " + wanted + " times in the log",
                    () -> count(t, text) >= wanted);
            return null;
        });
    }

    /**
     * Last, as it changes the shared cluster: HBase restarted without the {@code TokenProvider}
     * coprocessor. The hbase provider fails naming the coprocessor; hadoopfs keeps serving.
     */
    @Test
    @Order(99)
    void aClusterWithoutTheTokenCoprocessorIsNamedInTheError() throws Exception {
        long started = System.nanoTime();
        cluster.restartWithoutTokenProvider();
        try (TokenhostWithHBase t = TokenhostWithHBase.prepare(cluster, "no-coprocessor")) {
            t.start();
            String failing = t.awaitStatus("hbase", line -> line.contains("FAILING"), OBTAIN, "FAILING");
            assertThat(failing).contains("no token endpoint").contains("org.apache.hadoop.hbase.security.token.TokenProvider");
            assertThat(t.awaitStatus("hadoopfs", line -> line.contains("VALID"), OBTAIN, "VALID")).contains("VALID");
        }
        System.out.printf("[figures] no-coprocessor test took %d s (HBase restart included)%n",
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    private static void assertReadsBoth(TokenhostWithHBase t) throws Exception {
        ReaderJvm.Result with = t.reader.read(Optional.of(t.tokenFile));
        assertThat(with.ok()).as("token-only reads: %s (log %s)", with.output(), t.reader.log()).isTrue();
        assertThat(with.output()).contains("Kerberos credentials: false")
                .contains(SecureHBase.CONTENT).contains(SecureHBase.CELL);
    }

    private static AuthenticationTokenIdentifier id(Token<? extends TokenIdentifier> token) throws Exception {
        AuthenticationTokenIdentifier id = new AuthenticationTokenIdentifier();
        id.readFields(new DataInputStream(new ByteArrayInputStream(token.getIdentifier())));
        return id;
    }

    private static long sequence(Token<? extends TokenIdentifier> token) {
        try {
            return id(token).getSequenceNumber();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String version(String userLine) {
        Matcher m = HADOOP_VERSION.matcher(userLine);
        assertThat(m.find()).as("a Hadoop version in: %s", userLine).isTrue();
        return m.group(1);
    }

    /** Failed obtains of hbase logged by this host so far. */
    private static int failures(TokenhostWithHBase t) {
        try {
            String log = Installation.read(t.host.log());
            int count = 0;
            for (String line : log.split("\n")) {
                if (line.contains("for 'hbase' failed (")) {
                    count++;
                }
            }
            return count;
        } catch (Exception e) {
            return 0;
        }
    }
}
