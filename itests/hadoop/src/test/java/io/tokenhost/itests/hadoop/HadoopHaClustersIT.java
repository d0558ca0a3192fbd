package io.tokenhost.itests.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.sandbox.reader.ReaderProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.apache.hadoop.security.token.delegation.AbstractDelegationTokenIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Production HDFS shapes against real, Kerberos-secured mini clusters in this JVM ({@link
 * HaClusters}): a high-availability nameservice of two NameNodes, and a second cluster. The token
 * host is the real distribution with the Hadoop bundle in {@code plugins/}, its own process; reads
 * are by separate JVMs that have only the token file. Delegation tokens expire {@link
 * #RENEW_INTERVAL} after each renewal, so renewals happen within the test.
 */
class HadoopHaClustersIT {

    static final Duration RENEW_INTERVAL = Duration.ofSeconds(8);
    private static final Duration OBTAIN = Duration.ofSeconds(60);
    private static final Duration RENEWAL = RENEW_INTERVAL.multipliedBy(4);
    private static final String HA_SERVICE = "ha-hdfs:" + HaClusters.NAMESERVICE;
    /** Re-obtain at half the 8 s validity instead of three quarters: the same renewals, sooner. */
    private static final Map<String, String> RE_OBTAIN_AT_HALF = Map.of("renewal.time-ratio", "0.5");

    static HaClusters clusters;

    @BeforeAll
    static void startClusters() throws Exception {
        clusters = HaClusters.start(TokenhostWithHadoop.IT_DIR.resolve("ha-clusters"), RENEW_INTERVAL);
    }

    @AfterAll
    static void stopClusters() {
        if (clusters != null) {
            clusters.close();
        }
    }

    /**
     * Tokens for the logical URI {@code hdfs://ns1} (service {@code ha-hdfs:ns1}), through the
     * bundle's {@code hadoop.} keys: read by a token-only JVM through the nameservice; the same token
     * file still works after the active NameNode failed over to the other; the host keeps obtaining
     * and renewing on the new active; with {@code nn1} (tried first) shut down, each obtain is
     * retried on {@code nn2}.
     */
    @Test
    void nameserviceTokensKeepWorkingAcrossFailoverAndANameNodeDown() throws Exception {
        try (TokenhostWithHadoop t = TokenhostWithHadoop.prepare("ha-failover", clusters.readerConfDir(), clusters.krb5Conf())) {
            t.managerKeys(RE_OBTAIN_AT_HALF);
            t.configureProvider(clusters.keytabLogin(clusters.nameserviceProviderKeys()));
            t.start();
            byte[] first = t.awaitTokenFile(null, OBTAIN);
            Token<? extends TokenIdentifier> token = only(first);
            assertThat(token.getKind().toString()).isEqualTo("HDFS_DELEGATION_TOKEN");
            assertThat(token.getService().toString()).as("one token for the logical URI, not one per NameNode")
                    .isEqualTo(HA_SERVICE);
            assertThat(id(token).getOwner().toString()).isEqualTo(clusters.clientPrincipal());
            assertReads(t, t.tokenFile, HaClusters.HA_CONTENT, nameserviceFile());
            assertThat(t.statusLine()).contains("VALID");

            Path beforeFailover = t.tokenFile.resolveSibling("before-failover.token");
            Files.copy(t.tokenFile, beforeFailover, StandardCopyOption.COPY_ATTRIBUTES);

            clusters.ha.transitionToStandby(0);
            clusters.ha.transitionToActive(1);
            Instant failover = Instant.now();
            assertReads(t, beforeFailover, HaClusters.HA_CONTENT, nameserviceFile());
            // The new active NameNode knows the token from the shared edit log: it renews it too.
            long renewedUntil = clusters.asClient(() -> token.renew(clusters.clientConf()));
            assertThat(Instant.ofEpochMilli(renewedUntil)).as("the pre-failover token renewed on nn2").isAfter(failover);

            List<byte[]> versions = new ArrayList<>(List.of(first));
            int sequence = id(token).getSequenceNumber();
            for (int renewal = 1; renewal <= 2; renewal++) {
                byte[] next = awaitTokenIssuedAfter(t, versions.get(versions.size() - 1), failover);
                versions.add(next);
                AbstractDelegationTokenIdentifier nextId = id(only(next));
                assertThat(nextId.getSequenceNumber()).as("renewal %d after the failover: a new token from nn2", renewal)
                        .isGreaterThan(sequence);
                sequence = nextId.getSequenceNumber();
                assertReads(t, t.tokenFile, HaClusters.HA_CONTENT, nameserviceFile());
            }
            assertThat(t.statusLine()).contains("VALID");

            // nn1 is listed first and never shuffled: with it down, every call meets it first.
            clusters.ha.shutdownNameNode(0);
            try {
                Instant down = Instant.now();
                byte[] whileDown = awaitTokenIssuedAfter(t, versions.get(versions.size() - 1), down);
                versions.add(whileDown);
                assertThat(id(only(whileDown)).getSequenceNumber()).isGreaterThan(sequence);
                assertThat(t.statusLine()).contains("VALID");
                assertReads(t, t.tokenFile, HaClusters.HA_CONTENT, nameserviceFile());
            } finally {
                clusters.ha.restartNameNode(0, false);
            }
            TokenhostWithHadoop.assertNoSecretIn(t.host.log(), versions);
            TokenhostWithHadoop.assertNoSecretInOutput(t.host.hostOutput(), versions);
        }
    }

    /**
     * Two clusters, each its own provider configuration and service ({@code hadoopfs} for ns1,
     * {@code hadoopfs.b} from {@code io.tokenhost.hadoop.cluster-b.cfg}), one receiver merging both
     * into one token file that a token-only JVM reads both clusters with. Cluster b down: its
     * service is FAILING naming it, while ns1's tokens keep being renewed and delivered; b's last
     * tokens leave the file when they expire; b back: both again.
     */
    @Test
    void severalClustersShareOneTokenFileAndOneDownFailsAlone() throws Exception {
        try (TokenhostWithHadoop t = TokenhostWithHadoop.prepare("several-clusters", clusters.readerConfDir(), clusters.krb5Conf())) {
            t.managerKeys(RE_OBTAIN_AT_HALF);
            t.configureProvider(clusters.keytabLogin(clusters.nameserviceProviderKeys()));
            t.host.writeConfig("io.tokenhost.hadoop.cluster-b", clusters.keytabLogin(Map.of(
                    "filesystems", clusters.otherUri().toString(),
                    "hadoop.dfs.namenode.kerberos.principal", clusters.nameserviceSettings().get("dfs.namenode.kerberos.principal"))));
            t.host.writeConfig("io.tokenhost.hadoop.receiver", Map.of("token-file", t.tokenFile.toString(),
                    "services", "hadoopfs,hadoopfs.b"));
            t.start();

            byte[] both = awaitTokenFile(t, tokens -> tokens.size() == 2, "tokens of both clusters");
            String otherService = otherService(both);
            assertThat(byService(both)).containsKeys(HA_SERVICE, otherService);
            ReaderProcess.Result read = t.reader.read(List.of(nameserviceFile(), otherFile()), Optional.of(t.tokenFile));
            assertThat(read.ok()).as("token-only reads from both clusters: %s", read.output()).isTrue();
            assertThat(read.output()).contains(HaClusters.HA_CONTENT, HaClusters.OTHER_CONTENT, "2 token(s)");
            assertThat(t.statusLine("hadoopfs")).contains("VALID");
            assertThat(t.statusLine("hadoopfs.b")).contains("VALID");

            clusters.other.shutdownNameNode(0);
            try {
                Instant down = Instant.now();
                String failing = t.awaitStatus("hadoopfs.b", line -> line.contains("FAILING"), OBTAIN, "FAILING");
                assertThat(failing).contains("obtaining a delegation token from " + clusters.otherUri());
                // ns1 keeps renewing, and its new tokens are delivered
                byte[] previous = Files.readAllBytes(t.tokenFile);
                int sequence = -1;
                for (int renewal = 1; renewal <= 2; renewal++) {
                    byte[] next = awaitTokenIssuedAfter(t, previous, down);
                    int nextSequence = id(byService(next).get(HA_SERVICE)).getSequenceNumber();
                    assertThat(nextSequence).as("ns1 renewal %d while cluster b is down", renewal).isGreaterThan(sequence);
                    sequence = nextSequence;
                    previous = next;
                }
                assertThat(t.statusLine("hadoopfs")).contains("VALID");
                System.out.println("token:status while cluster b is down:\n" + t.host.client("token:status").stdout());
                // b's last tokens stay until they expire, then leave the file; ns1's stay
                byte[] withoutB = awaitTokenFile(t, tokens -> !tokens.containsKey(otherService) && tokens.containsKey(HA_SERVICE),
                        "cluster b's expired token withdrawn, ns1's kept");
                assertThat(byService(withoutB)).containsOnlyKeys(HA_SERVICE);
                assertReads(t, t.tokenFile, HaClusters.HA_CONTENT, nameserviceFile());
            } finally {
                clusters.other.restartNameNode(0);
            }
            t.awaitStatus("hadoopfs.b", line -> line.contains("VALID"), OBTAIN, "VALID once cluster b is back");
            awaitTokenFile(t, tokens -> tokens.size() == 2, "tokens of both clusters again");
            ReaderProcess.Result again = t.reader.read(List.of(nameserviceFile(), otherFile()), Optional.of(t.tokenFile));
            assertThat(again.ok()).as("both clusters again: %s", again.output()).isTrue();
        }
    }

    /**
     * Bad input: a nameservice without client failover settings, and a nameservice nobody
     * configured. Each fails its own service with an error naming the key or the nameservice, no
     * token in it; the good cluster keeps being served.
     */
    @Test
    void aNameserviceWithoutFailoverSettingsOrUnknownIsNamedWhileTheOthersServe() throws Exception {
        try (TokenhostWithHadoop t = TokenhostWithHadoop.prepare("bad-nameservices", clusters.readerConfDir(), clusters.krb5Conf())) {
            t.configureProvider(clusters.keytabLogin(clusters.nameserviceProviderKeys()));
            Map<String, String> settings = clusters.nameserviceSettings();
            Map<String, String> noFailover = new LinkedHashMap<>();
            noFailover.put("filesystems", "hdfs://ns3");
            noFailover.put("hadoop.dfs.namenode.kerberos.principal", settings.get("dfs.namenode.kerberos.principal"));
            noFailover.put("hadoop.dfs.nameservices", "ns3");
            noFailover.put("hadoop.dfs.ha.namenodes.ns3", "nn1,nn2");
            noFailover.put("hadoop.dfs.namenode.rpc-address.ns3.nn1", settings.get("dfs.namenode.rpc-address.ns1.nn1"));
            noFailover.put("hadoop.dfs.namenode.rpc-address.ns3.nn2", settings.get("dfs.namenode.rpc-address.ns1.nn2"));
            t.host.writeConfig("io.tokenhost.hadoop.cluster-nofailover", clusters.keytabLogin(noFailover));
            t.host.writeConfig("io.tokenhost.hadoop.cluster-unknown", clusters.keytabLogin(Map.of("filesystems", "hdfs://ns9",
                    "hadoop.dfs.namenode.kerberos.principal", settings.get("dfs.namenode.kerberos.principal"))));
            t.host.writeConfig("io.tokenhost.hadoop.receiver", Map.of("token-file", t.tokenFile.toString(),
                    "services", "hadoopfs,hadoopfs.nofailover,hadoopfs.unknown"));
            t.start();

            String missing = t.awaitStatus("hadoopfs.nofailover", line -> line.contains("FAILING"), OBTAIN, "FAILING");
            assertThat(missing).contains("hdfs://ns3: nameservice ns3 has no client failover proxy provider: "
                    + "set hadoop.dfs.client.failover.proxy.provider.ns3");
            String unknown = t.awaitStatus("hadoopfs.unknown", line -> line.contains("FAILING"), OBTAIN, "FAILING");
            assertThat(unknown).contains("obtaining a delegation token from hdfs://ns9",
                    "ns9 is neither a nameservice of hadoop.dfs.nameservices (none) nor a host name that resolves");

            byte[] tokens = t.awaitTokenFile(null, OBTAIN);
            assertThat(byService(tokens)).containsOnlyKeys(HA_SERVICE);
            assertThat(t.statusLine("hadoopfs")).contains("VALID");
            assertReads(t, t.tokenFile, HaClusters.HA_CONTENT, nameserviceFile());
            assertThat(t.host.host().isAlive()).isTrue();
            TokenhostWithHadoop.assertNoSecretIn(t.host.log(), List.of(tokens));
        }
    }

    private static String nameserviceFile() {
        return clusters.nameserviceUri() + HaClusters.FILE;
    }

    private static String otherFile() {
        return clusters.otherUri() + HaClusters.FILE;
    }

    private static void assertReads(TokenhostWithHadoop t, Path tokenFile, String content, String file) throws Exception {
        ReaderProcess.Result read = t.reader.read(file, Optional.of(tokenFile));
        assertThat(read.ok()).as("token-only read of %s with %s: %s", file, tokenFile.getFileName(), read.output()).isTrue();
        assertThat(read.output()).contains(content).contains("Kerberos credentials: false");
    }

    /**
     * Waits for a token file whose ns1 token differs from the one in {@code previous} and was issued
     * after {@code after}. The ns1 token itself, not the file: the file also changes when another
     * service's tokens come or go (cluster b's, withdrawn at their expiry), with ns1's unchanged.
     */
    private static byte[] awaitTokenIssuedAfter(TokenhostWithHadoop t, byte[] previous, Instant after) throws Exception {
        Token<? extends TokenIdentifier> before = byService(previous).get(HA_SERVICE);
        return t.showingTheLogOnTimeout(() -> Await.atMost(RENEWAL).value("a token file with a new " + HA_SERVICE
                + " token, issued after " + after, () -> {
                    if (!Files.exists(t.tokenFile)) {
                        return Optional.empty();
                    }
                    byte[] now = Files.readAllBytes(t.tokenFile);
                    Token<? extends TokenIdentifier> ns1 = byService(now).get(HA_SERVICE);
                    boolean renewed = ns1 != null
                            && (before == null || !java.util.Arrays.equals(ns1.getIdentifier(), before.getIdentifier()));
                    return renewed && Instant.ofEpochMilli(id(ns1).getIssueDate()).isAfter(after) ? Optional.of(now)
                            : Optional.empty();
                }));
    }

    private static byte[] awaitTokenFile(TokenhostWithHadoop t, Predicate<Map<String, Token<? extends TokenIdentifier>>> condition,
            String what) throws Exception {
        return t.showingTheLogOnTimeout(() -> Await.atMost(OBTAIN).value(what, () -> {
            if (!Files.exists(t.tokenFile)) {
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(t.tokenFile);
            return condition.test(byService(bytes)) ? Optional.of(bytes) : Optional.empty();
        }));
    }

    private static String otherService(byte[] tokens) throws Exception {
        return byService(tokens).keySet().stream().filter(service -> !service.equals(HA_SERVICE)).findFirst().orElseThrow();
    }

    private static Map<String, Token<? extends TokenIdentifier>> byService(byte[] tokens) throws Exception {
        Map<String, Token<? extends TokenIdentifier>> map = new LinkedHashMap<>();
        for (Token<? extends TokenIdentifier> token : TokenhostWithHadoop.credentials(tokens).getAllTokens()) {
            map.put(token.getService().toString(), token);
        }
        return map;
    }

    private static Token<? extends TokenIdentifier> only(byte[] tokens) throws Exception {
        Map<String, Token<? extends TokenIdentifier>> map = byService(tokens);
        assertThat(map).hasSize(1);
        return map.values().iterator().next();
    }

    private static AbstractDelegationTokenIdentifier id(Token<? extends TokenIdentifier> token) {
        try {
            return (AbstractDelegationTokenIdentifier) token.decodeIdentifier();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
