package io.tokenhost.itests.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.DevCerts;
import io.tokenhost.itests.support.Installation;
import io.tokenhost.itests.support.Ports;
import io.tokenhost.sandbox.cluster.SecureHdfs;
import io.tokenhost.sandbox.reader.ReaderProcess;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.apache.hadoop.security.token.delegation.AbstractDelegationTokenIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Tenants (issue 15): one manager process with two configurations of the Hadoop provider for one
 * secure HDFS, {@code hadoopfs.alice} (proxy-user alice) and {@code hadoopfs.bob} (proxy-user bob),
 * and an access policy that gives each only to its tenant's workers; two worker processes
 * {@code etl-alice-1} and {@code etl-bob-1} over mutual TLS, each with the Hadoop receiver writing
 * one token file (for both services, so that only the policy keeps bob's tokens from alice's
 * worker). Token-only JVMs read their tenant's file with a worker's token file and are refused the
 * other's; then the policy changes live, through the manager's {@code io.tokenhost.remote.cfg}.
 * One KDC, one secure cluster and the three hosts serve the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantScopesIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ALICE = "alice";
    private static final String BOB = "bob";
    private static final String ALICE_FILE = "/user/alice/secret";
    private static final String BOB_FILE = "/user/bob/secret";
    private static final Pattern LOG_TIME = Pattern.compile("^(\\S+) ");

    private static SecureHdfs hdfs;
    private static Installation manager;
    private static Installation aliceWorker;
    private static Installation bobWorker;
    private static Path tls;
    private static ReaderProcess reader;
    private static final Map<String, String> managerRemote = new LinkedHashMap<>();
    private static final List<byte[]> tokenFiles = new CopyOnWriteArrayList<>();
    private static long classStarted;

    @BeforeAll
    static void startClusterAndHosts() throws Exception {
        classStarted = System.nanoTime();
        Path dir = TokenhostWithHadoop.IT_DIR.resolve("tenants");
        // tokens live 10 min: no re-obtain during the test, so every change of a token file is the policy's
        hdfs = SecureHdfs.start(dir.resolve("cluster"), Duration.ofMinutes(10), Duration.ofMinutes(10));
        writeTenantFiles();
        reader = new ReaderProcess(hdfs.clientConfDir(), hdfs.krb5Conf(), dir.resolve("reader"));

        Path tarball = TokenhostWithHadoop.ARTIFACTS.resolve("tokenhost-distribution.tar.gz");
        manager = Installation.unpack(tarball, dir.resolve("manager"));
        aliceWorker = Installation.unpack(tarball, dir.resolve("etl-alice-1"));
        bobWorker = Installation.unpack(tarball, dir.resolve("etl-bob-1"));
        tls = dir.resolve("tls");
        DevCerts.create(manager, tls, "Tokenhost tenants test CA", "manager", "etl-alice-1", "etl-bob-1");
        int port = Ports.free();

        for (Installation host : List.of(manager, aliceWorker, bobWorker)) {
            host.dropPlugin(TokenhostWithHadoop.ARTIFACTS.resolve("tokenhost-hadoop-bundle.jar"), "tokenhost-hadoop-bundle.jar");
            host.javaOpt("-Djava.security.krb5.conf=" + hdfs.krb5Conf());
            host.javaOpt("--add-opens=java.base/java.lang=ALL-UNNAMED");
        }
        // the manager: one provider configuration per tenant, each its own service hadoopfs.<name>
        for (String tenant : List.of(ALICE, BOB)) {
            manager.writeConfig("io.tokenhost.hadoop.cluster-" + tenant, Map.of(
                    "security.kerberos.login.principal", hdfs.clientPrincipal(),
                    "security.kerberos.login.keytab", hdfs.clientKeytab().toString(),
                    "hadoop.conf.dir", hdfs.clientConfDir().toString(),
                    "proxy-user", tenant));
        }
        managerRemote.put("role", "manager");
        managerRemote.put("listen.host", "127.0.0.1");
        managerRemote.put("listen.port", Integer.toString(port));
        managerRemote.putAll(DevCerts.tlsKeys(tls, "manager"));
        managerRemote.put("access.hadoopfs.alice", "etl-alice-*");
        managerRemote.put("access.hadoopfs.bob", "etl-bob-*");
        managerRemote.put("access.default", "deny");
        manager.writeConfig("io.tokenhost.remote", managerRemote);

        // the workers: the receiver takes both services into one token file; only the policy decides
        for (Installation worker : List.of(aliceWorker, bobWorker)) {
            String id = worker.dir.getFileName().toString();
            worker.writeConfig("io.tokenhost.hadoop.receiver", Map.of("token-file", tokenFile(worker).toString(),
                    "services", "hadoopfs.alice,hadoopfs.bob", "install-in-process", "false"));
            Map<String, String> remote = new LinkedHashMap<>();
            remote.put("role", "worker");
            remote.put("manager.address", "localhost:" + port);
            remote.put("reconnect.backoff", "100ms");
            remote.put("reconnect.backoff.max", "1s");
            remote.putAll(DevCerts.tlsKeys(tls, id));
            worker.writeConfig("io.tokenhost.remote", remote);
        }
        for (Installation host : List.of(manager, aliceWorker, bobWorker)) {
            host.startHeadless();
        }
        for (Installation host : List.of(manager, aliceWorker, bobWorker)) {
            host.awaitReady(WAIT);
        }
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (Installation host : Arrays.asList(bobWorker, aliceWorker, manager)) {
            if (host != null) {
                host.close();
            }
        }
        if (hdfs != null) {
            hdfs.close();
        }
        System.out.printf("TenantScopesIT: %d s for the class%n", Duration.ofNanos(System.nanoTime() - classStarted).toSeconds());
    }

    /** Each worker's token file holds its tenant's token only; read with it, her files open and the other's do not. */
    @Test
    @Order(1)
    void eachWorkerHoldsOnlyItsTenantsTokenAndReadsOnlyItsTenantsFiles() throws Exception {
        byte[] aliceTokens = awaitTokenFile(aliceWorker, null);
        byte[] bobTokens = awaitTokenFile(bobWorker, null);

        Token<? extends TokenIdentifier> aliceToken = onlyToken(aliceTokens);
        assertOwnedBy(aliceToken, ALICE);
        Token<? extends TokenIdentifier> bobToken = onlyToken(bobTokens);
        assertOwnedBy(bobToken, BOB);
        for (Installation worker : List.of(aliceWorker, bobWorker)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile(worker)))).isEqualTo("rw-------");
        }
        // not only the token file: nothing of bob's token is anywhere in alice's saved container, and the
        // other way round (the wire itself is checked by ScopesOnTheWireTest)
        assertNotIn(bobToken, savedContainer(aliceWorker), "alice's worker's saved container");
        assertNotIn(aliceToken, savedContainer(bobWorker), "bob's worker's saved container");
        assertThat(receivedServices(aliceWorker)).containsExactly("hadoopfs.alice");
        assertThat(receivedServices(bobWorker)).containsExactly("hadoopfs.bob");

        awaitGranted("etl-alice-1", "hadoopfs.alice");
        String workers = awaitGranted("etl-bob-1", "hadoopfs.bob");
        System.out.println("token:workers on the manager:\n" + workers);

        assertReads(aliceWorker, ALICE_FILE, "alice's secret");
        assertRefused(aliceWorker, BOB_FILE, ALICE);
        assertReads(bobWorker, BOB_FILE, "bob's secret");
        assertRefused(bobWorker, ALICE_FILE, BOB);
    }

    /**
     * The policy changes live: alice's service withdrawn from her worker (its token file goes), then
     * bob's granted to it (the file comes back with bob's token, which reads bob's file and not alice's).
     * Bob's worker is left alone throughout.
     */
    @Test
    @Order(2)
    void aLivePolicyChangeWithdrawsAndGrantsAtTheWorker() throws Exception {
        byte[] bobBefore = awaitTokenFile(bobWorker, null);
        awaitTokenFile(aliceWorker, null);

        // 1. alice's service to nobody (its key removed: access.default=deny)
        managerRemote.remove("access.hadoopfs.alice");
        long written = System.nanoTime();
        manager.writeConfig("io.tokenhost.remote", managerRemote);
        Await.atMost(WAIT).every(Duration.ofMillis(5)).until("alice's worker's token file to be withdrawn",
                () -> !Files.exists(tokenFile(aliceWorker)));
        long withdrawnMs = (System.nanoTime() - written) / 1_000_000;
        String withdrawnAtWorker = "hadoopfs tokens of hadoopfs.alice withdrawn";
        long withdrawnAfterPolicy = policyToWorkerLogMs(withdrawnAtWorker);
        awaitGranted("etl-alice-1", "-");
        assertThat(receivedServices(aliceWorker)).isEmpty();

        // 2. bob's service also to etl-alice-*
        managerRemote.put("access.hadoopfs.bob", "etl-bob-*,etl-alice-*");
        written = System.nanoTime();
        manager.writeConfig("io.tokenhost.remote", managerRemote);
        byte[] granted = awaitTokenFile(aliceWorker, null, Duration.ofMillis(5));
        long grantedMs = (System.nanoTime() - written) / 1_000_000;
        long grantedAfterPolicy = policyToWorkerLogMs("hadoopfs receiver installed 1 token(s) of hadoopfs.bob");
        assertOwnedBy(onlyToken(granted), BOB);
        String workers = awaitGranted("etl-alice-1", "hadoopfs.bob");
        System.out.println("token:workers after the changes:\n" + workers);
        assertThat(receivedServices(aliceWorker)).containsExactly("hadoopfs.bob");
        assertReads(aliceWorker, BOB_FILE, "bob's secret");
        assertRefused(aliceWorker, ALICE_FILE, BOB);

        // bob's worker got the same tokens again under the new versions: its file was never rewritten
        assertThat(Files.readAllBytes(tokenFile(bobWorker))).isEqualTo(bobBefore);
        assertThat(Installation.read(bobWorker.log()).lines()
                .filter(l -> l.contains("hadoopfs receiver installed")).count()).as("installs at bob's worker").isEqualTo(1);

        System.out.printf("live policy change, alice's service revoked: token file gone %d ms after the .cfg was written,"
                + " %d ms after the manager put the policy in force (its log to the worker's receiver log)%n",
                withdrawnMs, withdrawnAfterPolicy);
        System.out.printf("live policy change, bob's service granted: token file written %d ms after the .cfg was written,"
                + " %d ms after the manager put the policy in force%n", grantedMs, grantedAfterPolicy);
        assertThat(withdrawnAfterPolicy).as("withdrawn within 1 s of the policy applying").isLessThan(1000);
        assertThat(grantedAfterPolicy).as("granted within 1 s of the policy applying").isLessThan(1000);
    }

    /**
     * Both tenants' services granted to one worker: their tokens for the one NameNode share its address
     * as their alias, so its token file can hold only one of them; the receiver says which, once.
     */
    @Test
    @Order(3)
    void twoTenantsOfOneClusterCannotShareAWorkersTokenFile() throws Exception {
        managerRemote.put("access.hadoopfs.alice", "etl-alice-*");
        managerRemote.put("access.hadoopfs.bob", "etl-bob-*,etl-alice-*");
        manager.writeConfig("io.tokenhost.remote", managerRemote);
        awaitGranted("etl-alice-1", "hadoopfs.alice,hadoopfs.bob");
        String warning = Await.atMost(WAIT).value("the receiver's warning about the shared alias",
                () -> Installation.read(aliceWorker.log()).lines()
                        .filter(l -> l.contains("several services hold a token for the same alias")).findFirst());
        System.out.println("alice's worker with both tenants' services:\n" + warning);
        Matcher kept = Pattern.compile("the file keeps hadoopfs\\.(\\w+)'s").matcher(warning);
        assertThat(kept.find()).as(warning).isTrue();
        assertThat(warning).contains("WARN", ":" + hdfs.defaultFs().getPort() + " (", "hadoopfs.alice", "hadoopfs.bob");
        Await.atMost(WAIT).until("alice's worker's file to hold the kept tenant's token",
                () -> ((AbstractDelegationTokenIdentifier) onlyToken(Files.readAllBytes(tokenFile(aliceWorker)))
                        .decodeIdentifier()).getOwner().toString().equals(kept.group(1)));
        tokenFiles.add(Files.readAllBytes(tokenFile(aliceWorker)));
        assertThat(receivedServices(aliceWorker)).containsExactlyInAnyOrder("hadoopfs.alice", "hadoopfs.bob");
    }

    /** No identifier or password of any token file seen, raw or encoded, in the log of any of the three hosts. */
    @Test
    @Order(4)
    void noTokenSecretInAnyLog() throws Exception {
        assertThat(tokenFiles).isNotEmpty();
        for (Installation host : List.of(manager, aliceWorker, bobWorker)) {
            TokenhostWithHadoop.assertNoSecretIn(host.log(), tokenFiles);
            TokenhostWithHadoop.assertNoSecretInOutput(host.hostOutput(), tokenFiles);
        }
    }

    /** As the cluster's superuser: {@code /user/<tenant>/secret}, owned by the tenant, in a 700 home. */
    private static void writeTenantFiles() throws Exception {
        try (FileSystem fs = FileSystem.newInstance(hdfs.defaultFs(), hdfs.conf())) {
            for (String tenant : List.of(ALICE, BOB)) {
                org.apache.hadoop.fs.Path home = new org.apache.hadoop.fs.Path("/user/" + tenant);
                fs.mkdirs(home, new FsPermission((short) 0700));
                fs.setOwner(home, tenant, tenant);
                fs.setPermission(home, new FsPermission((short) 0700));
                org.apache.hadoop.fs.Path secret = new org.apache.hadoop.fs.Path(home, "secret");
                try (OutputStream out = fs.create(secret)) {
                    out.write((tenant + "'s secret\n").getBytes(StandardCharsets.UTF_8));
                }
                fs.setOwner(secret, tenant, tenant);
                fs.setPermission(secret, new FsPermission((short) 0600));
            }
        }
    }

    private static Path tokenFile(Installation worker) {
        return worker.home.resolve("tokens/hadoop.token");
    }

    private static byte[] awaitTokenFile(Installation worker, byte[] previous) throws Exception {
        return awaitTokenFile(worker, previous, Duration.ofMillis(100));
    }

    /** Waits until the worker's token file exists (and differs from {@code previous}); its bytes. */
    private static byte[] awaitTokenFile(Installation worker, byte[] previous, Duration every) throws Exception {
        try {
            byte[] tokens = Await.atMost(WAIT).every(every).value("a token file at " + worker.dir.getFileName(), () -> {
                if (!Files.exists(tokenFile(worker))) {
                    return Optional.empty();
                }
                byte[] now = Files.readAllBytes(tokenFile(worker));
                return previous == null || !Arrays.equals(previous, now) ? Optional.of(now) : Optional.empty();
            });
            tokenFiles.add(tokens);
            return tokens;
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nworker log:\n" + TokenhostWithHadoop.tail(worker.log())
                    + "\nmanager log:\n" + TokenhostWithHadoop.tail(manager.log()), e);
        }
    }

    private static Token<? extends TokenIdentifier> onlyToken(byte[] tokenStorage) throws Exception {
        Credentials credentials = TokenhostWithHadoop.credentials(tokenStorage);
        assertThat(credentials.getAllTokens()).as("tokens in the file").hasSize(1);
        return credentials.getAllTokens().iterator().next();
    }

    private static void assertOwnedBy(Token<? extends TokenIdentifier> token, String tenant) throws Exception {
        assertThat(token.getKind().toString()).isEqualTo("HDFS_DELEGATION_TOKEN");
        AbstractDelegationTokenIdentifier id = (AbstractDelegationTokenIdentifier) token.decodeIdentifier();
        assertThat(id.getOwner().toString()).as("owner").isEqualTo(tenant);
        assertThat(id.getRealUser().toString()).as("real user").isEqualTo(hdfs.clientPrincipal());
        assertThat(token.getService().toString()).as("the token's service: the NameNode's address")
                .endsWith(":" + hdfs.defaultFs().getPort());
    }

    private static byte[] savedContainer(Installation worker) throws Exception {
        return Files.readAllBytes(worker.home.resolve("data/worker/last-container"));
    }

    /** Neither the identifier nor the password of the token occurs in the bytes. */
    private static void assertNotIn(Token<? extends TokenIdentifier> token, byte[] bytes, String where) {
        String haystack = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(haystack).as("the token identifier in %s", where)
                .doesNotContain(new String(token.getIdentifier(), StandardCharsets.ISO_8859_1));
        assertThat(haystack).as("the token password in %s", where)
                .doesNotContain(new String(token.getPassword(), StandardCharsets.ISO_8859_1));
    }

    /** The services of the worker's {@code token:status} under "Tokens received from the manager". */
    private static List<String> receivedServices(Installation worker) throws Exception {
        String status = worker.client("token:status").stdoutIfOk();
        List<String> services = new ArrayList<>();
        int section = status.indexOf("Tokens received from the manager:");
        if (section < 0) {
            return services;
        }
        status.substring(section).lines().skip(2).takeWhile(l -> !l.isBlank()).map(l -> l.split("\\s+")[0]).filter(s -> !s.isEmpty())
                .forEach(services::add);
        return services;
    }

    /** Waits until the manager's {@code token:workers} shows the worker connected with these GRANTED services. */
    private static String awaitGranted(String workerId, String granted) throws Exception {
        return Await.atMost(WAIT).every(Duration.ofMillis(200)).until("token:workers to show " + workerId + " granted " + granted,
                () -> manager.client("token:workers").stdoutIfOk(),
                table -> table.lines().anyMatch(l -> l.startsWith(workerId + " ") && l.contains(" connected ")
                        && l.strip().endsWith(" " + granted)));
    }

    private static void assertReads(Installation worker, String file, String content) throws Exception {
        ReaderProcess.Result read = reader.read(file, Optional.of(tokenFile(worker)));
        System.out.println("with " + worker.dir.getFileName() + "'s token file, " + file + ":\n" + read.output());
        assertThat(read.ok()).as("read %s with %s's token file: %s", file, worker.dir.getFileName(), read.output()).isTrue();
        assertThat(read.output()).contains("Kerberos credentials: false", content);
    }

    private static void assertRefused(Installation worker, String file, String as) throws Exception {
        ReaderProcess.Result read = reader.read(file, Optional.of(tokenFile(worker)));
        System.out.println("with " + worker.dir.getFileName() + "'s token file, " + file + ":\n" + read.output());
        assertThat(read.ok()).as("read %s with %s's token file: %s", file, worker.dir.getFileName(), read.output()).isFalse();
        assertThat(read.output()).contains("Kerberos credentials: false", "AccessControlException", "Permission denied",
                "user=" + as);
    }

    /**
     * From the manager's last "Access policy in force" to the alice worker's last log line containing
     * {@code workerText}, by their log times (both processes on this machine's clock).
     */
    private static long policyToWorkerLogMs(String workerText) throws Exception {
        OffsetDateTime applied = lastLogTime(manager, "Access policy in force");
        OffsetDateTime atWorker = Await.atMost(WAIT).value("the worker to log: " + workerText,
                () -> Optional.ofNullable(lastLogTime(aliceWorker, workerText)));
        return Duration.between(applied, atWorker).toMillis();
    }

    private static OffsetDateTime lastLogTime(Installation host, String text) throws Exception {
        OffsetDateTime last = null;
        for (String line : Installation.read(host.log()).lines().filter(l -> l.contains(text)).toList()) {
            Matcher m = LOG_TIME.matcher(line);
            if (m.find()) {
                last = OffsetDateTime.parse(m.group(1));
            }
        }
        return last;
    }
}
