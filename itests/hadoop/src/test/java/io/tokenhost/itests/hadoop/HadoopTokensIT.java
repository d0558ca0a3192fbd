package io.tokenhost.itests.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import io.tokenhost.sandbox.cluster.SecureHdfs;
import io.tokenhost.sandbox.reader.ReaderProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.apache.hadoop.security.token.delegation.AbstractDelegationTokenIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Hadoop bundle in the real distribution (Felix, its own process) against a real KDC and a
 * real Kerberos-secured HDFS in this JVM; reads by a separate JVM that has only the token file.
 * Delegation tokens expire {@link #RENEW_INTERVAL} after each renewal, Kerberos tickets after
 * {@link #TICKET_LIFETIME}, so renewals and relogins happen within the test.
 */
class HadoopTokensIT {

    static final Duration RENEW_INTERVAL = Duration.ofSeconds(8);
    /**
     * Hadoop logs in again once 80 % of a ticket's lifetime has passed, so the KDC outage test sees
     * its first failure 16 s after the host's login (24 s with the 30 s of before); the ticket-cache
     * test's cache, written at its start, must still be valid at the host's first obtain, a few
     * seconds later.
     */
    static final Duration TICKET_LIFETIME = Duration.ofSeconds(20);
    private static final Duration OBTAIN = Duration.ofSeconds(60);
    private static final Pattern FAILURES = Pattern.compile("failed \\((\\d+) in a row\\)");

    static SecureHdfs hdfs;

    @BeforeAll
    static void startCluster() throws Exception {
        hdfs = SecureHdfs.start(TokenhostWithHadoop.IT_DIR.resolve("cluster"), RENEW_INTERVAL, TICKET_LIFETIME);
    }

    @AfterAll
    static void stopCluster() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    /** Obtain, token file, token-only reads in a separate JVM over three renewals, and no secret in any log. */
    @Test
    void tokensAreObtainedRenewedAndUsedBySeparateJvmWithoutLeaking() throws Exception {
        try (TokenhostWithHadoop t = TokenhostWithHadoop.prepare(hdfs, "flow")) {
            t.configureProvider(t.keytabConfig(Map.of()));
            // The read without a token file needs no host: it runs while the host starts.
            CompletableFuture<ReaderProcess.Result> withoutTokens = CompletableFuture.supplyAsync(() -> {
                try {
                    return t.reader.read(SecureHdfs.FILE, Optional.empty());
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            t.start();
            ReaderProcess.Result without = withoutTokens.get(3, TimeUnit.MINUTES);
            assertThat(without.ok()).as("read without token file: %s", without.output()).isFalse();

            byte[] first = t.awaitTokenFile(null, OBTAIN);
            Token<? extends TokenIdentifier> token = onlyToken(first);
            assertThat(token.getKind().toString()).isEqualTo("HDFS_DELEGATION_TOKEN");
            AbstractDelegationTokenIdentifier id = (AbstractDelegationTokenIdentifier) token.decodeIdentifier();
            assertThat(id.getOwner().toString()).isEqualTo(hdfs.clientPrincipal());
            assertThat(id.getRenewer().toString()).isEqualTo(SecureHdfs.CLIENT);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(t.tokenFile))).isEqualTo("rw-------");
            assertThat(t.statusLine()).contains("VALID");

            ReaderProcess.Result with = t.reader.read(SecureHdfs.FILE, Optional.of(t.tokenFile));
            assertThat(with.ok()).as("read with token file: %s", with.output()).isTrue();
            assertThat(with.output()).contains(SecureHdfs.CONTENT.trim()).contains("Kerberos credentials: false");

            // Reads run back to back in separate JVMs while the host renews three times.
            List<byte[]> versions = new ArrayList<>(List.of(first));
            AtomicBoolean reading = new AtomicBoolean(true);
            AtomicInteger reads = new AtomicInteger();
            List<String> failedReads = new ArrayList<>();
            Thread readers = new Thread(() -> {
                while (reading.get()) {
                    try {
                        ReaderProcess.Result r = t.reader.read(SecureHdfs.FILE, Optional.of(t.tokenFile));
                        reads.incrementAndGet();
                        if (!r.ok()) {
                            synchronized (failedReads) {
                                failedReads.add(r.output());
                            }
                        }
                    } catch (Exception e) {
                        synchronized (failedReads) {
                            failedReads.add(e.toString());
                        }
                    }
                }
            });
            readers.start();
            int previousSequence = id.getSequenceNumber();
            try {
                for (int cycle = 1; cycle <= 3; cycle++) {
                    byte[] next = t.awaitTokenFile(versions.get(versions.size() - 1), RENEW_INTERVAL.multipliedBy(4));
                    versions.add(next);
                    AbstractDelegationTokenIdentifier nextId = (AbstractDelegationTokenIdentifier) onlyToken(next).decodeIdentifier();
                    assertThat(nextId.getSequenceNumber()).as("cycle %d brings a new token", cycle).isGreaterThan(previousSequence);
                    previousSequence = nextId.getSequenceNumber();
                }
            } finally {
                reading.set(false);
                readers.join(120_000);
            }
            assertThat(reads.get()).as("reads during three renewals").isGreaterThanOrEqualTo(3);
            assertThat(failedReads).as("failed token-only reads").isEmpty();

            TokenhostWithHadoop.assertNoSecretIn(t.host.log(), versions);
            TokenhostWithHadoop.assertNoSecretInOutput(t.host.hostOutput(), versions);
            assertThat(Installation.read(t.host.log())).contains("obtained HDFS_DELEGATION_TOKEN");
        }
    }

    /** KDC down: failures in token:status, retried with backoff; KDC back: valid again. */
    /**
     * Two unmodified long-running client JVMs read every second with only the token file: the one
     * with {@code -javaagent:tokenhost-hadoop-agent.jar} across three renewals without a failure,
     * the one without it fails once the token it read at login has expired.
     */
    @Test
    void theAgentKeepsALongRunningClientFreshAcrossRenewalsAndWithoutItTheClientFails() throws Exception {
        long started = System.nanoTime();
        Path agent = TokenhostWithHadoop.ARTIFACTS.resolve("tokenhost-hadoop-agent.jar");
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(agent.toFile())) {
            assertThat(jar.stream().map(java.util.jar.JarEntry::getName).filter(n -> n.endsWith(".class")))
                    .as("the agent carries only its own classes").isNotEmpty()
                    .allMatch(n -> n.startsWith("io/tokenhost/hadoop/agent/"));
            assertThat(jar.getManifest().getMainAttributes().getValue("Premain-Class"))
                    .isEqualTo("io.tokenhost.hadoop.agent.TokenRefreshAgent");
        }
        try (TokenhostWithHadoop t = TokenhostWithHadoop.prepare(hdfs, "agent")) {
            t.configureProvider(t.keytabConfig(Map.of()));
            t.start();
            List<byte[]> versions = new ArrayList<>(List.of(t.awaitTokenFile(null, OBTAIN)));
            Path dir = TokenhostWithHadoop.IT_DIR.resolve("agent");
            try (LongRunningHdfsProcess with = LongRunningHdfsProcess.start(dir.resolve("with-agent"), hdfs.clientConfDir(),
                    hdfs.krb5Conf(), t.tokenFile, SecureHdfs.FILE, Optional.of(agent));
                    LongRunningHdfsProcess without = LongRunningHdfsProcess.start(dir.resolve("without-agent"),
                            hdfs.clientConfDir(), hdfs.krb5Conf(), t.tokenFile, SecureHdfs.FILE, Optional.empty())) {
                assertThat(with.classPath).as("no Tokenhost jar on the client's class path")
                        .noneMatch(e -> e.contains("tokenhost-") && e.endsWith(".jar"));
                for (int cycle = 1; cycle <= 3; cycle++) {
                    versions.add(t.awaitTokenFile(versions.get(versions.size() - 1), RENEW_INTERVAL.multipliedBy(4)));
                }
                // a few reads with the last version, which only the agent can have given the client
                int readsBefore = with.reads().size();
                Await.atMost(Duration.ofSeconds(20)).until("3 more reads", () -> with.reads().size() >= readsBefore + 3);
                System.out.println("with the agent: " + with.summary() + "; without: " + without.summary());
                assertThat(with.output()).contains("Kerberos credentials: false");
                assertThat(with.failures()).as("reads with the agent: " + with.summary()).isEmpty();
                assertThat(with.reads().size()).isGreaterThanOrEqualTo(10);
                String agentLog = with.log();
                for (byte[] version : versions.subList(1, versions.size())) {
                    String fingerprint = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(version)).substring(0, 12);
                    assertThat(agentLog).as("the agent installed version " + fingerprint)
                            .contains("added 1 token(s) of token file version " + fingerprint);
                }
                assertThat(without.failures()).as("reads without the agent: " + without.summary()).isNotEmpty()
                        .anyMatch(f -> f.contains("InvalidToken") || f.contains("expired"));
                assertThat(without.reads().get(0)).as("it worked at first").isEqualTo("OK");
                for (byte[] version : versions) {
                    TokenhostWithHadoop.assertNoSecretIn(dir.resolve("with-agent/err.txt"), List.of(version));
                }
            }
            t.host.close(); // the host stops: the receiver withdraws the tokens and says so once
            assertThat(t.tokenFile).doesNotExist();
            assertThat(Installation.read(t.host.log()).lines().filter(l -> l.contains("hadoopfs tokens of hadoopfs withdrawn")).count())
                    .isEqualTo(1);
        }
        System.out.printf("agent test took %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    @Test
    void kdcOutageIsReportedRetriedAndRecovered() throws Exception {
        try (TokenhostWithHadoop t = TokenhostWithHadoop.prepare(hdfs, "kdc-outage")) {
            t.configureProvider(t.keytabConfig(Map.of()));
            t.start();
            t.awaitStatus(line -> line.contains("VALID"), OBTAIN, "VALID");
            hdfs.stopKdc();
            String failing;
            try {
                // The TGT must be renewed within TICKET_LIFETIME; from then on relogins fail. Not every
                // obtain does: Hadoop skips a relogin tried less than 1 s before and may reuse an
                // authenticated NameNode connection, so failures and successes can alternate. What
                // must hold: FAILING is shown and the host keeps retrying (3 failed attempts).
                failing = t.awaitStatus(line -> line.contains("FAILING") && failuresInLog(t) >= 3,
                        TICKET_LIFETIME.multipliedBy(6), "FAILING after three failed tries");
            } finally {
                hdfs.restartKdc();
            }
            assertThat(failing).containsIgnoringCase("kerberos");
            t.awaitStatus(line -> line.contains("VALID"), OBTAIN, "VALID again after the KDC is back");
        }
    }

    /**
     * A keytab of another principal, then a missing keytab: clear errors naming them; fixed config:
     * valid; then a refused value keeps it valid.
     */
    @Test
    void wrongKeytabOrPrincipalGivesClearError() throws Exception {
        Path otherKeytab = hdfs.createKeytab("other");
        try (TokenhostWithHadoop t = TokenhostWithHadoop.prepare(hdfs, "wrong-keytab")) {
            t.configureProvider(t.keytabConfig(Map.of("security.kerberos.login.keytab", otherKeytab.toString())));
            t.start();
            String wrong = t.awaitStatus(line -> line.contains("FAILING"), OBTAIN, "FAILING for a wrong keytab");
            assertThat(wrong).contains(hdfs.clientPrincipal()).contains(otherKeytab.toString());
            // No tokens yet: the bundle's own Hadoop user has nothing to authenticate with.
            Installation.Result refused = t.host.client("hadoop:cat", hdfsFile(SecureHdfs.FILE));
            assertThat(refused.status()).as("hadoop:cat before any token: %s", refused).isNotZero();
            assertThat(refused.stdout() + refused.stderr()).contains("Kerberos credentials: false", "0 delegation token(s)", "Client cannot authenticate")
                    .doesNotContain(SecureHdfs.CONTENT.trim())
                    .as("Hadoop's own log lines stay in the host's log, not in the command's output")
                    .doesNotContain("WARN  org.apache.hadoop");

            Path missing = otherKeytab.resolveSibling("missing.keytab");
            t.configureProvider(t.keytabConfig(Map.of("security.kerberos.login.keytab", missing.toString())));
            t.awaitStatus(line -> line.contains("security.kerberos.login.keytab") && line.contains(missing.toString()),
                    OBTAIN, "an error naming the keytab key");

            t.configureProvider(t.keytabConfig(Map.of()));
            t.awaitStatus(line -> line.contains("VALID"), OBTAIN, "VALID after fixing the keytab");
            assertThat(t.host.host().isAlive()).isTrue();

            // install-in-process (default true): the receiver gave the tokens to the bundle's own
            // Hadoop user, which still has no Kerberos credentials; hadoop:cat now reads with them.
            String user = awaitInProcessTokens(t);
            assertThat(user).contains("Kerberos credentials: false").contains("owner=" + hdfs.clientPrincipal());
            Installation.Result read = t.host.client("hadoop:cat", hdfsFile(SecureHdfs.FILE));
            assertThat(read.status()).as("hadoop:cat with the installed tokens: %s", read).isZero();
            assertThat(read.stdout()).contains(SecureHdfs.CONTENT.trim());

            // A bad value saved while running: refused naming key and rule; the provider and the
            // commands keep the settings in force.
            t.configureProvider(t.keytabConfig(Map.of("security.kerberos.login.use-ticket-cache", "maybe")));
            t.awaitLog("Configuration io.tokenhost.hadoop refused: security.kerberos.login.use-ticket-cache: "
                    + "must be true or false, got 'maybe'; the previous settings stay in force", OBTAIN);
            assertThat(t.statusLine()).contains("VALID");
            Installation.Result kept = t.host.client("hadoop:cat", hdfsFile(SecureHdfs.FILE));
            assertThat(kept.status()).as("hadoop:cat after the refused change: %s", kept).isZero();
            assertThat(kept.stdout()).contains(SecureHdfs.CONTENT.trim());
        }
    }

    /** Ticket-cache login: principal and ticket cache, no keytab. */
    @Test
    void ticketCacheLoginObtainsTokens() throws Exception {
        Path cache = hdfs.writeClientTicketCache(TokenhostWithHadoop.IT_DIR.resolve("ticket-cache/krb5cc_client"));
        try (TokenhostWithHadoop t = TokenhostWithHadoop.prepare(hdfs, "ticket-cache")) {
            t.host.writeConfig("io.tokenhost.hadoop.receiver",
                    Map.of("token-file", t.tokenFile.toString(), "install-in-process", "false"));
            t.configureProvider(Map.of(
                    "security.kerberos.login.principal", hdfs.clientPrincipal(),
                    "security.kerberos.login.use-ticket-cache", "true",
                    "security.kerberos.login.ticket-cache", cache.toString(),
                    "hadoop.conf.dir", hdfs.clientConfDir().toString()));
            t.start();
            byte[] tokens = t.awaitTokenFile(null, OBTAIN);
            AbstractDelegationTokenIdentifier id = (AbstractDelegationTokenIdentifier) onlyToken(tokens).decodeIdentifier();
            assertThat(id.getOwner().toString()).isEqualTo(hdfs.clientPrincipal());
            ReaderProcess.Result read = t.reader.read(SecureHdfs.FILE, Optional.of(t.tokenFile));
            assertThat(read.ok()).as("read with tokens from a ticket-cache login: %s", read.output()).isTrue();

            // install-in-process=false: valid tokens, a ticket cache on disk, yet the bundle's own
            // Hadoop user got nothing, so hadoop:cat is refused.
            Installation.Result refused = t.host.client("hadoop:cat", hdfsFile(SecureHdfs.FILE));
            assertThat(refused.status()).as("hadoop:cat with install-in-process=false: %s", refused).isNotZero();
            assertThat(refused.stdout() + refused.stderr()).contains("Kerberos credentials: false", "0 delegation token(s)", "Client cannot authenticate")
                    .doesNotContain(SecureHdfs.CONTENT.trim());
        }
    }

    /** proxy-user: tokens owned by the impersonated user, usable for her files only. */
    @Test
    void proxyUserTokensActForThatUser() throws Exception {
        try (TokenhostWithHadoop t = TokenhostWithHadoop.prepare(hdfs, "proxy")) {
            t.configureProvider(t.keytabConfig(Map.of("proxy-user", SecureHdfs.PROXY_USER)));
            t.start();
            byte[] tokens = t.awaitTokenFile(null, OBTAIN);
            AbstractDelegationTokenIdentifier id = (AbstractDelegationTokenIdentifier) onlyToken(tokens).decodeIdentifier();
            assertThat(id.getOwner().toString()).isEqualTo(SecureHdfs.PROXY_USER);
            assertThat(id.getRealUser().toString()).isEqualTo(hdfs.clientPrincipal());

            ReaderProcess.Result hers = t.reader.read(SecureHdfs.PROXY_FILE, Optional.of(t.tokenFile));
            assertThat(hers.ok()).as("alice's file: %s", hers.output()).isTrue();
            ReaderProcess.Result notHers = t.reader.read(SecureHdfs.FILE, Optional.of(t.tokenFile));
            assertThat(notHers.ok()).as("client's file: %s", notHers.output()).isFalse();
            // renewed like any other
            byte[] renewed = t.awaitTokenFile(tokens, RENEW_INTERVAL.multipliedBy(4));
            assertThat(onlyToken(renewed).decodeIdentifier().getUser().getShortUserName()).isEqualTo(SecureHdfs.PROXY_USER);
        }
    }

    /** import-token-file: the imported token is handed out first; a new one replaces it near its expiry. */
    @Test
    void importedTokensAreUsedUntilNearExpiry() throws Exception {
        Path importFile = TokenhostWithHadoop.IT_DIR.resolve("import/imported.token");
        Files.createDirectories(importFile.getParent());
        Credentials imported = hdfs.asClient(fs -> {
            Credentials c = new Credentials();
            fs.addDelegationTokens(SecureHdfs.CLIENT, c);
            return c;
        });
        imported.writeTokenStorageFile(new org.apache.hadoop.fs.Path(importFile.toUri()), hdfs.conf());
        int importedSequence = ((AbstractDelegationTokenIdentifier) imported.getAllTokens().iterator().next()
                .decodeIdentifier()).getSequenceNumber();

        try (TokenhostWithHadoop t = TokenhostWithHadoop.prepare(hdfs, "import")) {
            t.configureProvider(t.keytabConfig(Map.of("import-token-file", importFile.toString())));
            t.start();
            byte[] first = t.awaitTokenFile(null, OBTAIN);
            assertThat(((AbstractDelegationTokenIdentifier) onlyToken(first).decodeIdentifier()).getSequenceNumber())
                    .as("first tokens are the imported ones").isEqualTo(importedSequence);
            assertThat(t.statusLine()).contains("VALID");
            assertThat(Installation.read(t.host.log())).contains("using imported HDFS_DELEGATION_TOKEN");

            byte[] later = t.awaitTokenFile(first, RENEW_INTERVAL.multipliedBy(4));
            assertThat(((AbstractDelegationTokenIdentifier) onlyToken(later).decodeIdentifier()).getSequenceNumber())
                    .as("a token of its own once the imported one nears expiry").isNotEqualTo(importedSequence);
        }
    }

    /** {@code hdfs://namenode/path} of the test cluster. */
    private static String hdfsFile(String path) {
        return hdfs.defaultFs().resolve(path).toString();
    }

    /** Polls {@code hadoop:user} until the bundle's Hadoop user holds a delegation token; returns its output. */
    private static String awaitInProcessTokens(TokenhostWithHadoop t) throws Exception {
        return t.showingTheLogOnTimeout(() -> Await.atMost(Duration.ofSeconds(30)).every(Duration.ofMillis(250))
                .until("hadoop:user to show an installed token", () -> t.host.client("hadoop:user"),
                        user -> user.status() == 0 && user.stdout().contains("HDFS_DELEGATION_TOKEN")))
                .stdout();
    }

    private static Token<? extends TokenIdentifier> onlyToken(byte[] tokenStorage) throws Exception {
        Credentials credentials = TokenhostWithHadoop.credentials(tokenStorage);
        assertThat(credentials.numberOfTokens()).isEqualTo(1);
        return credentials.getAllTokens().iterator().next();
    }

    /** Failed obtain attempts of this host so far (its log starts with the host). */
    private static int failuresInLog(TokenhostWithHadoop t) {
        try {
            Matcher m = FAILURES.matcher(Installation.read(t.host.log()));
            int count = 0;
            while (m.find()) {
                count++;
            }
            return count;
        } catch (Exception e) {
            return 0;
        }
    }
}
