package io.tokenhost.itests.process;

import static io.tokenhost.itests.process.RemoteHosts.PLUGIN_JARS;
import static io.tokenhost.itests.process.RemoteHosts.certificates;
import static io.tokenhost.itests.process.RemoteHosts.freePort;
import static io.tokenhost.itests.process.RemoteHosts.ok;
import static io.tokenhost.itests.process.RemoteHosts.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 15 with real processes: one manager (the example provider twice, as services {@code x} and
 * {@code y}) and workers {@code w1}-{@code w3} (example receivers for both, writing
 * {@code data/tokens/<service>.token}), each its own unpacked distribution, over mutual TLS with
 * certificates from {@code bin/tokenhost-dev-certs} and CRLs from {@code openssl ca -gencrl}. Every
 * node reads its TLS files from one directory ({@link #live}) that the steps replace file by file,
 * as an operator would. The steps share the processes and run in order; each builds on the last:
 * no policy (WARNING) → scopes → live policy change (timed, no reconnect) → bad policies (token:status)
 * → rotation to a new CA under running streams (with a fourth worker that knows only the new CA, and
 * a manager certificate without the right host name in between) → revocation by deny list and by
 * CRL (timed, refused at reconnect, rate-limited log, no new tokens).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScopesRotationRevocationIT {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final List<String> WORKERS = List.of("w1", "w2", "w3");

    private Installation manager;
    private final Map<String, Installation> workers = new LinkedHashMap<>();
    private Installation w4;
    private final List<Installation> all = new ArrayList<>();
    private int port;
    private Path ca1;
    private Path ca2;
    /** A CA nobody's certificate comes from: w4 adds it to its CA file to reload its trust manager. */
    private Path unrelatedCa;
    /** The files every node's configuration names: replaced in place by the steps. */
    private Path live;
    private final Map<String, Instant> connectedSince = new LinkedHashMap<>();
    /** Where each worker's log stood once scopes were in force (what it logs later must not be a lost stream). */
    private final Map<String, Long> logFrom = new LinkedHashMap<>();
    private final long started = System.nanoTime();

    @BeforeAll
    void start() throws Exception {
        manager = Installation.unpack("srr-manager");
        all.add(manager);
        ca1 = manager.dir.resolve("ca1");
        ca2 = manager.dir.resolve("ca2");
        unrelatedCa = manager.dir.resolve("ca3");
        // three independent CAs, each a dozen openssl runs: made side by side
        ExecutorService openssl = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> made = List.of(
                    openssl.submit(() -> {
                        certificates(manager, ca1, "Tokenhost old CA", "manager", "w1", "w2", "w3");
                        return null;
                    }),
                    openssl.submit(() -> {
                        certificates(manager, ca2, "Tokenhost new CA", "manager", "w1", "w2", "w3", "w4");
                        wrongHostName(ca2, "manager-elsewhere");
                        return null;
                    }),
                    openssl.submit(() -> {
                        certificates(manager, unrelatedCa, "Unrelated CA", "nobody");
                        return null;
                    }));
            for (Future<?> certificates : made) {
                certificates.get(2, TimeUnit.MINUTES);
            }
        } finally {
            openssl.shutdownNow();
        }
        live = Files.createDirectories(manager.dir.resolve("live"));
        install(live.resolve("ca.crt"), ca1.resolve("ca.crt"));
        install(live.resolve("w4-ca.crt"), ca2.resolve("ca.crt")); // the new worker knows only the new CA
        for (String node : List.of("manager", "w1", "w2", "w3")) {
            install(live.resolve(node + ".crt"), ca1.resolve(node + ".crt"));
            install(live.resolve(node + ".key"), ca1.resolve(node + ".key"));
        }
        install(live.resolve("w4.crt"), ca2.resolve("w4.crt"));
        install(live.resolve("w4.key"), ca2.resolve("w4.key"));
        generateCrl(ca1, live.resolve("crl.pem")); // empty: nothing revoked yet
        Files.writeString(live.resolve("deny-list"), "# worker ids refused whatever their certificate\n");
        port = freePort();

        managerConfig(Map.of()); // (a): no access.* keys
        for (String service : List.of("x", "y")) {
            Files.writeString(manager.home.resolve("conf/io.tokenhost.example.provider-" + service + ".cfg"),
                    "service.name=" + service + "\n");
        }
        Files.copy(PLUGIN_JARS.resolve("tokenhost-examples-provider.jar"), manager.home.resolve("plugins/example-provider.jar"));
        for (String id : WORKERS) {
            Installation worker = Installation.unpack("srr-" + id);
            all.add(worker);
            workers.put(id, worker);
            worker(worker, id, "ca.crt");
        }
        w4 = Installation.unpack("srr-w4");
        all.add(w4);
        worker(w4, "w4", "w4-ca.crt");

        manager.startHeadless();
        for (Installation worker : workers.values()) {
            worker.startHeadless();
        }
        manager.awaitReady();
        for (Installation worker : workers.values()) {
            worker.awaitReady();
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (Installation installation : all) {
            installation.close();
        }
        System.out.printf("ScopesRotationRevocationIT: %d s with the processes%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    @Test
    @Order(1)
    void withoutAccessKeysEveryWorkerGetsEveryServiceAndTheManagerWarns() throws Exception {
        for (String id : WORKERS) {
            await(() -> has(id, "x") && has(id, "y"), id + " has x and y");
        }
        assertThat(Installation.read(manager.log())).contains("No access policy (no access.* keys): every authenticated"
                + " worker receives every service");
        await(() -> granted().size() == 3 && granted().values().stream().allMatch("x,y"::equals),
                "token:workers grants x,y to every worker");
    }

    @Test
    @Order(2)
    void scopesGiveEachWorkerOnlyItsServices() throws Exception {
        managerConfig(Map.of("access.x", "w*", "access.y", "w2", "access.default", "deny"));
        await(() -> !has("w1", "y") && !has("w3", "y"), "y withdrawn from w1 and w3");
        for (String id : WORKERS) {
            assertThat(has(id, "x")).as(id + " keeps x").isTrue();
        }
        assertThat(has("w2", "y")).as("w2 keeps y").isTrue();
        await(() -> granted().equals(Map.of("w1", "x", "w2", "x,y", "w3", "x")), "token:workers GRANTED per worker");
        System.out.println(ok(manager, "token:workers"));
        assertThat(ok(workers.get("w1"), "token:receivers")).contains("x", "y");
        for (String id : WORKERS) {
            connectedSince.put(id, connectedSince(workers.get(id)));
            logFrom.put(id, Files.size(workers.get(id).log()));
        }
    }

    @Test
    @Order(3)
    void aLiveEditWithdrawsAndGrantsWithoutReconnecting() throws Exception {
        long managerLogBefore = Files.size(manager.log());
        long writtenAt = System.nanoTime();
        Instant written = Instant.now();
        managerConfig(Map.of("access.x", "w*", "access.y", "w1", "access.default", "deny"));
        long withdrawn = -1;
        long grantedAt = -1;
        while ((withdrawn < 0 || grantedAt < 0) && System.nanoTime() - writtenAt < WAIT.toNanos()) {
            if (withdrawn < 0 && !has("w2", "y")) {
                withdrawn = System.nanoTime();
            }
            if (grantedAt < 0 && has("w1", "y")) {
                grantedAt = System.nanoTime();
            }
            Thread.sleep(2);
        }
        assertThat(withdrawn).as("y withdrawn from w2").isPositive();
        assertThat(grantedAt).as("y granted to w1").isPositive();
        Instant applied = logTime(manager, managerLogBefore, "Access policy in force").orElseThrow();
        long fileToWithdrawal = TimeUnit.NANOSECONDS.toMillis(withdrawn - writtenAt);
        long fileToGrant = TimeUnit.NANOSECONDS.toMillis(grantedAt - writtenAt);
        long appliedToWithdrawal = fileToWithdrawal - Duration.between(written, applied).toMillis();
        System.out.printf("live policy edit: file written -> policy applied %d ms, -> y gone at w2 %d ms, -> y at w1"
                + " %d ms; policy applied -> withdrawal %d ms%n", Duration.between(written, applied).toMillis(),
                fileToWithdrawal, fileToGrant, appliedToWithdrawal);
        assertThat(appliedToWithdrawal).as("withdrawn within 1 s of the policy applying").isLessThan(1000);
        assertThat(fileToWithdrawal).as("withdrawn soon after the file was written (FileInstall polls 250 ms)")
                .isLessThan(3000);
        assertThat(has("w2", "x")).isTrue();
        await(() -> granted().equals(Map.of("w1", "x,y", "w2", "x", "w3", "x")), "token:workers shows the new grants");

        for (String id : WORKERS) {
            assertThat(connectedSince(workers.get(id))).as(id + "'s stream was not reconnected")
                    .isEqualTo(connectedSince.get(id));
            assertThat(logSince(workers.get(id), logFrom.get(id))).doesNotContain("Lost the manager");
        }
        String log = Installation.read(manager.log());
        assertThat(count(log, "Remote manager listening")).as("the manager role was not restarted").isEqualTo(1);
        assertThat(count(log, "Worker 'w2' connected from")).isEqualTo(1);
    }

    @Test
    @Order(4)
    void badPoliciesAreShownByTokenStatusAndTheLastGoodStays() throws Exception {
        Map<String, String> good = Map.of("access.x", "w*", "access.y", "w1", "access.default", "deny");
        managerConfig(Map.of("access.x", "w*", "access.y", "w[1]", "access.default", "deny"));
        await(() -> ok(manager, "token:status").contains("access.y: must be worker-id patterns"),
                "token:status names access.y");
        String status = ok(manager, "token:status");
        System.out.println(status.lines().filter(l -> l.startsWith("Configuration")).reduce("", (a, b) -> a + b + "\n"));
        assertThat(status).contains("Configuration io.tokenhost.remote of io.tokenhost.remote", "previous settings in force");

        managerConfig(Map.of("access.x", "w*", "access.y", "w1", "access.z", "w3", "access.default", "deny"));
        await(() -> ok(manager, "token:status").contains("access.z names a service that no provider of this manager"
                + " offers (known: x, y)"), "token:status names the unknown service's key");
        status = ok(manager, "token:status");
        System.out.println(status.lines().filter(l -> l.startsWith("Configuration")).reduce("", (a, b) -> a + b + "\n"));
        assertThat(status).contains("Configuration io.tokenhost.remote access.* of io.tokenhost.remote")
                .doesNotContain("access.y: must be");
        assertThat(Installation.read(manager.log())).contains("Access policy not put in force: access.z names");
        Thread.sleep(500); // anything that were to reach the workers would have by now
        assertThat(has("w1", "y")).as("w1 keeps y under the last good policy").isTrue();
        assertThat(has("w2", "y") || has("w3", "y")).as("nobody else got y").isFalse();
        assertThat(granted()).isEqualTo(Map.of("w1", "x,y", "w2", "x", "w3", "x"));

        managerConfig(good);
        await(() -> !ok(manager, "token:status").contains("Configuration io.tokenhost.remote"), "the problems are over");
    }

    @Test
    @Order(5)
    void certificatesKeysAndTheCaAreRotatedUnderRunningStreams() throws Exception {
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger missing = new AtomicInteger();
        AtomicInteger samples = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                for (String id : WORKERS) {
                    if (read(tokens(workers.get(id), "x")) == null) {
                        missing.incrementAndGet();
                    }
                }
                samples.incrementAndGet();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "token-file-sampler");
        sampler.start();
        byte[] before = read(tokens(workers.get("w1"), "x"));
        try {
            // 1. both CAs everywhere (one file for all nodes here); the new worker starts meanwhile
            Map<Installation, Integer> reloads = reloads();
            install(live.resolve("ca.crt"), ca1.resolve("ca.crt"), ca2.resolve("ca.crt"));
            awaitReloaded(reloads);
            w4.startHeadless();

            // 2. the workers' certificates and keys from the new CA
            reloads = reloads();
            for (String id : WORKERS) {
                installPair(id, ca2, id);
            }
            awaitReloaded(workers.values(), reloads);

            // 3. the manager's from the new CA, but without the host name workers dial (localhost): a
            //    connecting worker must refuse it (live streams keep their sessions). w4 first reloads its
            //    CA file (the new CA and an unrelated one), so that a reloaded trust manager refuses
            w4.awaitReady();
            await(() -> Installation.read(w4.log()).contains("Role worker 'w4'"), "w4's role started");
            int w4Reloads = count(Installation.read(w4.log()), "TLS files reloaded");
            install(live.resolve("w4-ca.crt"), ca2.resolve("ca.crt"), unrelatedCa.resolve("ca.crt"));
            await(() -> count(Installation.read(w4.log()), "TLS files reloaded") > w4Reloads, "w4 reloaded its TLS files");
            reloads = reloads();
            installPair("manager", ca2, "manager-elsewhere");
            awaitReloaded(List.of(manager), reloads);
            String w4Status = Await.atMost(WAIT).until("w4 refuses the manager's host name", () -> out(w4, "token:manager"),
                    text -> text.toLowerCase(java.util.Locale.ROOT).contains("subject alternative"));
            System.out.println("w4 while the manager shows a certificate for another host name:\n" + w4Status);
            assertThat(w4Status).contains("Connected:      no").contains("Last version:   -");
            assertThat(read(tokens(w4, "x"))).isNull();
            assertThat(w4Status).as("the worker says why").contains("Last error:", "(TLS: ")
                    .containsIgnoringCase("subject alternative");
            assertThat(workerIds()).doesNotContain("w4");

            // 4. the manager's right certificate from the new CA: the new worker connects
            reloads = reloads();
            installPair("manager", ca2, "manager");
            awaitReloaded(List.of(manager), reloads);
            await(() -> read(tokens(w4, "x")) != null, "w4 (new CA only) got x");
            assertThat(read(tokens(w4, "y"))).as("w4 is not granted y").isNull();

            // 5. drop the old CA (its CRL first: a CRL must come from a CA in tls.ca)
            reloads = reloads();
            generateCrl(ca2, live.resolve("crl.pem"));
            install(live.resolve("ca.crt"), ca2.resolve("ca.crt"));
            install(live.resolve("w4-ca.crt"), ca2.resolve("ca.crt"));
            awaitReloaded(reloads);

            // the streams stayed up and still deliver
            ok(manager, "token:obtain", "x");
            byte[] now = awaitNewX(List.of(workers.get("w1"), workers.get("w2"), workers.get("w3"), w4), before,
                    "new x tokens at w1-w4");
            assertThat(now).isNotEqualTo(before);
        } finally {
            sampling.set(false);
            sampler.join();
        }
        System.out.printf("rotation: %d samples of w1-w3's x token files, %d missing%n", samples.get(), missing.get());
        assertThat(missing.get()).as("no worker lost its tokens").isZero();
        for (String id : WORKERS) {
            assertThat(connectedSince(workers.get(id))).as(id + "'s stream stayed up").isEqualTo(connectedSince.get(id));
            assertThat(logSince(workers.get(id), logFrom.get(id))).doesNotContain("Lost the manager")
                    .doesNotContain("TLS files not reloaded");
        }
        assertThat(Installation.read(manager.log())).doesNotContain("TLS files not reloaded")
                .doesNotContain("Revocation not reloaded");
        assertThat(ok(manager, "token:workers")).contains("CN=w4");
    }

    @Test
    @Order(6)
    void revokedWorkersAreCutOffAtOnceAndRefusedAtEveryReconnect() throws Exception {
        byte[] w1Before = read(tokens(workers.get("w1"), "x"));
        byte[] w4Before = read(tokens(w4, "x"));
        long managerFrom = Files.size(manager.log());

        // by deny list: w1 (its stream still runs under its certificate from the old CA)
        long managerLog = Files.size(manager.log());
        long w1Log = Files.size(workers.get("w1").log());
        Instant denied = Instant.now();
        replace(live.resolve("deny-list"), "# cut off\nw1\n");
        Instant closed1 = awaitLogTime(manager, managerLog, "Closed the stream of worker 'w1'");
        Instant told1 = awaitLogTime(workers.get("w1"), w1Log, "refused worker 'w1'");

        // by a CRL of the new CA: w4, whose stream runs under the certificate the CRL revokes
        managerLog = Files.size(manager.log());
        long w4Log = Files.size(w4.log());
        revoke(ca2, "w4");
        Instant crlWritten = Instant.now();
        generateCrl(ca2, live.resolve("crl.pem"));
        Instant closed4 = awaitLogTime(manager, managerLog, "Closed the stream of worker 'w4'");
        Instant told4 = awaitLogTime(w4, w4Log, "refused worker 'w4'");

        long denyToClose = Duration.between(denied, closed1).toMillis();
        long crlToClose = Duration.between(crlWritten, closed4).toMillis();
        System.out.printf("revocation: deny list written -> w1's stream closed at the manager %d ms, w1 told %d ms;"
                + " CRL written -> w4's stream closed %d ms, w4 told %d ms%n", denyToClose,
                Duration.between(denied, told1).toMillis(), crlToClose, Duration.between(crlWritten, told4).toMillis());
        assertThat(denyToClose).as("deny list: closed within 1 s").isLessThan(1000);
        assertThat(crlToClose).as("CRL: closed within 1 s").isLessThan(1000);
        assertThat(logSince(manager, managerFrom)).contains("Closed the stream of worker 'w1'", "revoked: worker id 'w1'"
                + " is in revocation.deny-list", "Closed the stream of worker 'w4'", "revoked: certificate serial",
                "is revoked by the CRL of CN=Tokenhost new CA");

        // refused at every reconnect, through a rate-limited log; the revoked get no new tokens
        ok(manager, "token:obtain", "x");
        byte[] fresh = awaitNewX(List.of(workers.get("w2"), workers.get("w3")), w1Before, "new x at w2 and w3");
        int before = refusedCertificates();
        await(() -> refusedCertificates() >= before + 12, "12 more refused reconnects of w1 and w4");
        String since = logSince(manager, managerFrom);
        List<String> refusalLines = since.lines().filter(l -> l.contains("Refused a client certificate")
                || l.contains("Refused worker '")).toList();
        System.out.printf("revocation: %d refused reconnects counted, %d logged:%n%s%n", refusedCertificates(),
                refusalLines.size(), String.join("\n", refusalLines.subList(0, Math.min(3, refusalLines.size()))));
        assertThat(refusalLines).as("at most 10 refusal lines a minute").hasSizeBetween(1, 10);
        assertThat(String.join("\n", refusalLines)).contains("CN=w1").contains("CN=w4").contains("revoked");
        assertThat(since).as("a revoked worker is never welcomed again").doesNotContain("Worker 'w1' connected from")
                .doesNotContain("Worker 'w4' connected from");
        assertThat(read(tokens(workers.get("w1"), "x"))).as("w1 got no new token").isEqualTo(w1Before).isNotEqualTo(fresh);
        assertThat(read(tokens(w4, "x"))).as("w4 got no new token").isEqualTo(w4Before).isNotEqualTo(fresh);
        assertThat(workerIds()).containsExactlyInAnyOrder("w2", "w3");
        assertThat(ok(workers.get("w1"), "token:manager")).contains("Connected:      no");
        assertThat(ok(w4, "token:manager")).contains("Connected:      no");
    }

    // ---- the nodes

    private void managerConfig(Map<String, String> access) throws IOException {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("role", "manager");
        config.put("listen.host", "127.0.0.1");
        config.put("listen.port", String.valueOf(port));
        config.put("tls.ca", live.resolve("ca.crt").toString());
        config.put("tls.cert", live.resolve("manager.crt").toString());
        config.put("tls.key", live.resolve("manager.key").toString());
        config.put("tls.crl", live.resolve("crl.pem").toString());
        config.put("revocation.deny-list", live.resolve("deny-list").toString());
        config.putAll(new java.util.TreeMap<>(access));
        manager.writeConfig("io.tokenhost.remote", config);
    }

    /**
     * A worker of the manager; it reconnects at most 500 ms apart, so that the 12 refused reconnects
     * of the revocation step come within about 3 s.
     */
    private void worker(Installation worker, String id, String caFile) throws IOException {
        worker.writeConfig("io.tokenhost.remote", Map.of("role", "worker", "manager.address", "localhost:" + port,
                "worker.id", id, "reconnect.backoff", "100ms", "reconnect.backoff.max", "500ms",
                "tls.ca", live.resolve(caFile).toString(), "tls.cert", live.resolve(id + ".crt").toString(),
                "tls.key", live.resolve(id + ".key").toString()));
        for (String service : List.of("x", "y")) {
            Files.writeString(worker.home.resolve("conf/io.tokenhost.example.receiver-" + service + ".cfg"),
                    "service.name=" + service + "\nfile=" + tokens(worker, service) + "\n");
        }
        Files.copy(PLUGIN_JARS.resolve("tokenhost-examples-receiver.jar"), worker.home.resolve("plugins/example-receiver.jar"));
    }

    private static Path tokens(Installation worker, String service) {
        return worker.home.resolve("data/tokens/" + service + ".token");
    }

    /** Waits until every one of {@code nodes} holds the same x tokens, other than {@code previous}; returns them. */
    private static byte[] awaitNewX(List<Installation> nodes, byte[] previous, String what) throws Exception {
        return Await.atMost(WAIT).value(what, () -> {
            byte[] common = null;
            for (Installation node : nodes) {
                byte[] tokens = read(tokens(node, "x"));
                if (tokens == null || Arrays.equals(tokens, previous)
                        || (common != null && !Arrays.equals(common, tokens))) {
                    return Optional.empty();
                }
                common = tokens;
            }
            return Optional.ofNullable(common);
        });
    }

    private boolean has(String id, String service) {
        return read(tokens(workers.get(id), service)) != null;
    }

    /** Worker id → GRANTED of the connected workers, from token:workers. */
    private Map<String, String> granted() throws Exception {
        Map<String, String> granted = new LinkedHashMap<>();
        for (String line : ok(manager, "token:workers").split("\n")) {
            String[] cells = line.trim().split("\\s{2,}");
            if (cells.length >= 8 && cells[0].matches("w\\d") && cells[6].equals("connected")) {
                granted.put(cells[0], cells[7]);
            }
        }
        return granted;
    }

    private List<String> workerIds() throws Exception {
        return List.copyOf(granted().keySet());
    }

    private int refusedCertificates() throws Exception {
        Matcher m = Pattern.compile("untrusted-certificates (\\d+)").matcher(ok(manager, "token:workers"));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** The instant the worker's current stream connected (token:manager: "yes, since <instant> (…)"). */
    private static Instant connectedSince(Installation worker) throws Exception {
        Matcher m = Pattern.compile("Connected:\\s+yes, since (\\S+)").matcher(ok(worker, "token:manager"));
        assertThat(m.find()).as("connected").isTrue();
        return Instant.parse(m.group(1));
    }

    // ---- TLS files

    /** Replaces {@code target} atomically with the concatenation of {@code sources}, owner-only. */
    private static void install(Path target, Path... sources) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path source : sources) {
            text.append(Files.readString(source));
        }
        replace(target, text.toString());
    }

    private static void replace(Path target, String text) throws IOException {
        Path part = Files.createTempFile(target.getParent(), ".part", ""); // 0600
        Files.writeString(part, text, StandardCharsets.UTF_8);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The node's certificate and key from {@code ca}'s {@code name} pair, both within one watch period. */
    private void installPair(String node, Path ca, String name) throws IOException {
        install(live.resolve(node + ".key"), ca.resolve(name + ".key"));
        install(live.resolve(node + ".crt"), ca.resolve(name + ".crt"));
    }

    /** A certificate {@code name} from {@code caDir}'s CA with CN=manager but for another host only. */
    private static void wrongHostName(Path caDir, String name) throws Exception {
        Path ext = caDir.resolve(name + ".ext");
        Files.writeString(ext, "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                + "extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:elsewhere.invalid\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                caDir.resolve(name + ".key").toString(), "-out", caDir.resolve(name + ".csr").toString(), "-subj", "/CN=manager");
        openssl("x509", "-req", "-in", caDir.resolve(name + ".csr").toString(), "-CA", caDir.resolve("ca.crt").toString(),
                "-CAkey", caDir.resolve("ca.key").toString(), "-CAserial", caDir.resolve("ca.srl").toString(), "-days", "30",
                "-extfile", ext.toString(), "-out", caDir.resolve(name + ".crt").toString());
    }

    /** Adds {@code name}'s certificate to the CA's database of revoked certificates ({@code openssl ca -revoke}). */
    private static void revoke(Path caDir, String name) throws Exception {
        openssl("ca", "-config", caConfig(caDir).toString(), "-revoke", caDir.resolve(name + ".crt").toString());
    }

    /** Writes the CA's CRL ({@code openssl ca -gencrl}) to {@code target} atomically. */
    private static void generateCrl(Path caDir, Path target) throws Exception {
        Path part = Files.createTempFile(target.getParent(), ".crl", ".part");
        openssl("ca", "-config", caConfig(caDir).toString(), "-gencrl", "-out", part.toString());
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path caConfig(Path caDir) throws IOException {
        Path config = caDir.resolve("ca.cnf");
        if (!Files.exists(config)) {
            Files.writeString(caDir.resolve("index.txt"), "");
            Files.writeString(caDir.resolve("crlnumber"), "1000\n");
            Files.writeString(config, "[ ca ]\ndefault_ca = CA_default\n[ CA_default ]\n"
                    + "database = " + caDir.resolve("index.txt") + "\ncrlnumber = " + caDir.resolve("crlnumber") + "\n"
                    + "certificate = " + caDir.resolve("ca.crt") + "\nprivate_key = " + caDir.resolve("ca.key") + "\n"
                    + "default_md = sha256\ndefault_crl_days = 30\n");
        }
        return config;
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("openssl " + String.join(" ", args) + ": " + output).isZero();
    }

    /** How many times each node has reloaded its TLS files so far. */
    private Map<Installation, Integer> reloads() throws IOException {
        Map<Installation, Integer> counts = new LinkedHashMap<>();
        for (Installation node : List.of(manager, workers.get("w1"), workers.get("w2"), workers.get("w3"))) {
            counts.put(node, count(Installation.read(node.log()), "TLS files reloaded"));
        }
        return counts;
    }

    private void awaitReloaded(Map<Installation, Integer> before) throws Exception {
        awaitReloaded(before.keySet(), before);
    }

    private void awaitReloaded(java.util.Collection<Installation> nodes, Map<Installation, Integer> before) throws Exception {
        for (Installation node : nodes) {
            await(() -> count(Installation.read(node.log()), "TLS files reloaded") > before.get(node),
                    node.home + " reloaded its TLS files");
        }
    }

    // ---- logs

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** What the node logged after {@code offset}. */
    private static String logSince(Installation node, long offset) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(node.log().toFile(), "r")) {
            file.seek(offset);
            byte[] rest = new byte[(int) (file.length() - offset)];
            file.readFully(rest);
            return new String(rest, StandardCharsets.UTF_8);
        }
    }

    /** The time stamp of the first log line after {@code offset} that contains {@code what}. */
    private static Optional<Instant> logTime(Installation node, long offset, String what) throws IOException {
        return logSince(node, offset).lines().filter(l -> l.contains(what)).findFirst()
                .map(l -> OffsetDateTime.parse(l.substring(0, l.indexOf(' '))).toInstant());
    }

    private static Instant awaitLogTime(Installation node, long offset, String what) throws Exception {
        return Await.atMost(WAIT).value(node.home + " logged '" + what + "'", () -> logTime(node, offset, what));
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
