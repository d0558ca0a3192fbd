package io.tokenhost.itests.process;

import static io.tokenhost.itests.process.RemoteHosts.certificates;
import static io.tokenhost.itests.process.RemoteHosts.exampleManager;
import static io.tokenhost.itests.process.RemoteHosts.exampleWorker;
import static io.tokenhost.itests.process.RemoteHosts.freePort;
import static io.tokenhost.itests.process.RemoteHosts.ok;
import static io.tokenhost.itests.process.RemoteHosts.read;
import static io.tokenhost.itests.process.RemoteHosts.start;
import static io.tokenhost.itests.process.RemoteHosts.tokenFile;
import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.remote.tls.TlsContexts;
import io.tokenhost.remote.worker.Backoff;
import io.tokenhost.remote.worker.ConnectionOptions;
import io.tokenhost.remote.worker.WorkerClient;
import io.tokenhost.itests.support.SecretForms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One manager and three workers, each its own unpacked distribution and process, over mutual TLS
 * with certificates from the distribution's {@code bin/tokenhost-dev-certs}: tokens reach every
 * worker's receiver; killed workers and a killed manager (SIGKILL) recover; untrusted clients get
 * nothing; no token bytes in any log.
 */
class RemoteDistributionIT {

    private static final Duration WAIT = Duration.ofSeconds(45);

    private final List<byte[]> seenTokens = new CopyOnWriteArrayList<>();
    private final StringBuilder earlierOutput = new StringBuilder();

    @Test
    void tokensReachEveryWorkerAndSurviveKilledWorkersAndAKilledManager() throws Exception {
        Map<String, Installation> workers = new LinkedHashMap<>();
        List<Installation> all = new ArrayList<>();
        try (Installation manager = Installation.unpack("rm")) {
            all.add(manager);
            Path tls = manager.dir.resolve("tls");
            certificates(manager, tls, "Tokenhost test CA", "manager", "w1", "w2", "w3");
            Path rogueTls = manager.dir.resolve("rogue-tls");
            certificates(manager, rogueTls, "Rogue CA", "rogue");
            int port = freePort();

            exampleManager(manager, port, tls);
            for (String id : List.of("w1", "w2", "w3")) {
                Installation worker = Installation.unpack("r" + id);
                all.add(worker);
                workers.put(id, worker);
                exampleWorker(worker, id, port, tls);
            }
            try {
                manager.startHeadless();
                workers.values().forEach(RemoteHosts::start);
                manager.awaitReady();
                for (Installation worker : workers.values()) {
                    worker.awaitReady();
                }

                // 1. the manager's tokens reach all three workers' receivers, and every ack is known
                byte[] first = awaitSameTokensEverywhere(workers, null, "first tokens at every worker");
                assertThat(Files.getPosixFilePermissions(tokenFile(workers.get("w1"))))
                        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
                long version = containerVersion(manager);
                await(() -> workersTable(manager).values().stream().allMatch(acked -> acked == version)
                        && workersTable(manager).keySet().containsAll(workers.keySet()), "all three acks of version " + version);
                String table = ok(manager, "token:workers");
                assertThat(table).contains("CN=w1", "CN=w2", "CN=w3", "127.0.0.1:");
                assertThat(ok(workers.get("w1"), "token:manager")).contains("Connected:      yes", "Last version:   " + version);

                // 2. kill -9 a worker; a new version meanwhile; restarted, it has the current tokens at once
                Installation w2 = workers.get("w2");
                kill(w2);
                await(() -> ok(manager, "token:workers").lines()
                        .anyMatch(l -> l.startsWith("w2 ") && l.contains("CN=w2") && l.matches(".*\\s" + version + "\\s.*")
                                && l.contains("gone since")), "the manager shows w2 gone, with its last acknowledged version");
                ok(manager, "token:obtain", "example");
                byte[] second = awaitSameTokensEverywhere(Map.of("w1", workers.get("w1"), "w3", workers.get("w3")), first,
                        "second tokens at the live workers");
                assertThat(Files.readAllBytes(tokenFile(w2))).as("the dead worker's file is untouched").isEqualTo(first);
                long started = System.nanoTime();
                start(w2);
                await(() -> Arrays.equals(read(tokenFile(w2)), second), "the restarted worker has the current tokens");
                System.out.printf("restarted worker had the current tokens %d ms after its start%n",
                        (System.nanoTime() - started) / 1_000_000);

                // 3. kill -9 the manager: workers keep their tokens and notice
                kill(manager);
                for (Installation worker : workers.values()) {
                    await(() -> ok(worker, "token:manager").contains("Connected:      no"), "worker noticed the lost manager");
                }
                for (Installation worker : workers.values()) {
                    assertThat(read(tokenFile(worker))).as("tokens kept while the manager is down").isEqualTo(second);
                }
                assertThat(ok(workers.get("w1"), "token:receivers")).contains("example");

                // 4. the manager restarts (new epoch, new tokens): workers reconnect and get them
                start(manager);
                manager.awaitReady();
                byte[] third = awaitSameTokensEverywhere(workers, second, "the restarted manager's tokens everywhere");
                assertThat(third).isNotEqualTo(second);
                await(() -> workersTable(manager).size() == 3, "all three workers reconnected");

                // 5. clients with a certificate from another CA, or none, get nothing
                assertRefused(port, TlsContexts.client(tls.resolve("ca.crt"), rogueTls.resolve("rogue.crt"),
                        rogueTls.resolve("rogue.key")));
                assertRefused(port, TlsContexts.anonymousClient(tls.resolve("ca.crt")));
                assertThat(workersTable(manager).keySet()).containsExactlyInAnyOrder("w1", "w2", "w3");
                await(() -> Installation.read(manager.log()).contains("Refused a client certificate"),
                        "the manager logged the refused certificate");
                assertThat(Installation.read(manager.log())).contains("subject CN=rogue, issuer CN=Rogue CA");

                // 6. no token bytes in any log of any process (not in finally: it would mask an earlier failure)
                assertNoTokenBytesInLogs(all);
            } finally {
                for (Installation worker : workers.values()) {
                    worker.close();
                }
            }
        }
    }

    private void kill(Installation installation) throws Exception {
        Process host = installation.host();
        earlierOutput.append(Installation.read(installation.hostOutput()));
        host.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
        assertThat(host.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    private byte[] awaitSameTokensEverywhere(Map<String, Installation> workers, byte[] previous, String what) throws Exception {
        byte[] tokens = RemoteHosts.awaitSameTokens(workers.values(), previous, what, Await.atMost(WAIT));
        seenTokens.add(tokens);
        return tokens;
    }

    /** A plain-JVM worker client with the given certificate (or none) must never get a container. */
    private static void assertRefused(int port, SslContext tls) throws Exception {
        List<TokenContainer> received = new CopyOnWriteArrayList<>();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (WorkerClient client = new WorkerClient(
                ConnectionOptions.mutualTls("localhost", port, "intruder", tls, Duration.ofSeconds(30)), received::add,
                new Backoff(Duration.ofMillis(100), Duration.ofMillis(200), 0, Math::random), scheduler,
                Clock.systemUTC())) {
            client.start();
            await(() -> client.status().lastError().isPresent(), "the refused client saw an error");
            await(() -> client.status().containersApplied() == 0 && received.isEmpty()
                    && client.status().lastError().isPresent() && !client.status().connected(), "still refused");
            assertThat(client.status().connected()).isFalse();
            assertThat(received).isEmpty();
            assertThat(client.status().lastError().get()).startsWith("UNAVAILABLE");
        } finally {
            scheduler.shutdownNow();
        }
    }

    private void assertNoTokenBytesInLogs(List<Installation> installations) throws Exception {
        StringBuilder everything = new StringBuilder(earlierOutput);
        StringBuilder raw = new StringBuilder(); // every byte as one char: finds the raw token bytes too
        for (Installation installation : installations) {
            Path audit = installation.home.resolve("log/audit.jsonl"); // the audit log too (issue 14)
            everything.append(Installation.read(installation.log())).append(Installation.read(installation.hostOutput()))
                    .append(Files.exists(audit) ? Files.readString(audit) : "");
            for (Path file : List.of(installation.log(), installation.hostOutput(), audit)) {
                if (Files.exists(file)) {
                    raw.append(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1));
                }
            }
        }
        assertThat(seenTokens).isNotEmpty();
        for (byte[] token : seenTokens) {
            SecretForms.assertAbsent("the logs (bytes)", raw.toString(), token);
            SecretForms.assertAbsent("the logs (text)", everything.toString(), token);
        }
        assertThat(everything.toString()).contains("Remote manager listening", "Applied container version")
                .doesNotContain("INSECURE");
    }

    private static long containerVersion(Installation manager) throws Exception {
        String text = ok(manager, "token:workers");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("current container version (\\d+)").matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Worker id to acknowledged version (0 for none yet), from token:workers. */
    private static Map<String, Long> workersTable(Installation manager) throws Exception {
        Map<String, Long> acked = new LinkedHashMap<>();
        for (String line : ok(manager, "token:workers").split("\n")) {
            String[] cells = line.trim().split("\\s{2,}");
            if (cells.length >= 7 && cells[0].matches("w\\d") && cells[6].equals("connected")) {
                acked.put(cells[0], cells[3].equals("-") ? 0 : Long.parseLong(cells[3]));
            }
        }
        return acked;
    }

    private static void await(Await.Condition condition, String what) throws Exception {
        Await.atMost(WAIT).until(what, condition);
    }
}
