package io.tokenhost.itests.process;

import static io.tokenhost.itests.process.RemoteHosts.PLUGIN_JARS;
import static io.tokenhost.itests.process.RemoteHosts.certificates;
import static io.tokenhost.itests.process.RemoteHosts.exampleManager;
import static io.tokenhost.itests.process.RemoteHosts.exampleWorker;
import static io.tokenhost.itests.process.RemoteHosts.freePort;
import static io.tokenhost.itests.process.RemoteHosts.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
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
 * The metrics endpoint of a standalone host, a manager and a worker (each its own unpacked
 * distribution and process), scraped over HTTP and parsed by Prometheus's own Python parser: values
 * move as they should (an obtain increments the counter; a failing provider's failures rise and
 * {@code /ready} turns 503, then 200 once it recovers; a worker's valid-until matches the manager's;
 * a killed worker lowers the manager's workers connected), bad requests get 404/405, a port in use
 * is an ERROR naming the key while the host runs on, the audit log is owner-only JSON lines without
 * configuration values, and docs/alerts.yml and docs/grafana-dashboard.json name only metrics the
 * endpoint exposes, and a silent console connection counts as a refusal. One host set for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsIT {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final Pattern METRIC_NAME = Pattern.compile("\\b(tokenhost_[a-z_]+|jvm_[a-z_]+|process_[a-z_]+)\\b");

    private Installation standalone;
    private Installation manager;
    private Installation worker;
    private int standalonePort;
    private int managerPort;
    private int workerPort;
    /** A path in the chaos provider's configuration: the audit log must name its key, never show it. */
    private Path obtainLog;
    private Path chaosConfig;
    private final Set<String> exposed = new TreeSet<>();
    /** Scraped family names as documented: a counter with its _total. */
    private final Set<String> families = new TreeSet<>();

    @BeforeAll
    void start() throws Exception {
        Scrape.python(); // set up the parser's venv first (once per build directory)
        standalone = Installation.unpack("metrics-standalone");
        manager = Installation.unpack("metrics-manager");
        worker = Installation.unpack("metrics-worker");

        standalonePort = freePort();
        obtainLog = standalone.dir.resolve("chaos-obtains.log");
        chaosConfig = standalone.home.resolve("conf/io.tokenhost.fixture.chaos.cfg");
        standalone.dropPlugin(PLUGIN_JARS.resolve("tokenhost-examples-provider.jar"), "example-provider.jar");
        standalone.dropPlugin(PLUGIN_JARS.resolve("tokenhost-itests-fixtures-chaos-provider.jar"), "chaos-provider.jar");
        // every obtain fails (failure.ratio must stay below 1) until the ratio is set to 0 (a key, not outage.file: the host reads <key>.file
        // values as secret files since issue 10)
        Files.writeString(chaosConfig, chaosSettings("0.9999999")); // at most below 1: 1 in 10^7 succeeds
        Files.writeString(standalone.home.resolve("conf/io.tokenhost.manager.cfg"),
                "renewal.retry.backoff=300ms\nrenewal.retry.max-wait-without-tokens=1s\n");
        metricsPort(standalone, standalonePort);

        Path tls = manager.dir.resolve("tls");
        certificates(manager, tls, "Tokenhost metrics test CA", "manager", "mw1");
        int remotePort = freePort();
        exampleManager(manager, remotePort, tls);
        exampleWorker(worker, "mw1", remotePort, tls);
        managerPort = freePort();
        workerPort = freePort();
        metricsPort(manager, managerPort);
        metricsPort(worker, workerPort);

        standalone.startHeadless();
        manager.startHeadless();
        worker.startHeadless();
        standalone.awaitReady();
        manager.awaitReady();
        worker.awaitReady();
    }

    @AfterAll
    void stop() throws Exception {
        for (Installation installation : new Installation[] {worker, manager, standalone}) {
            if (installation != null) {
                installation.close();
            }
        }
    }

    private String chaosSettings(String failureRatio) {
        return "failure.ratio=" + failureRatio + "\nhang.ratio=0\ntoken.lifetime=1h\nobtain.log=" + obtainLog + "\n";
    }

    private static void metricsPort(Installation installation, int port) throws Exception {
        Files.writeString(installation.home.resolve("conf/io.tokenhost.metrics.cfg"), "port=" + port + "\n");
    }

    @Test
    @Order(1)
    void anObtainIncrementsTheCounterAndAFailingProviderTurnsReadyTo503UntilItRecovers() throws Exception {
        String exampleOk = "tokenhost_obtains_total{result=\"success\",service=\"example\"}";
        double before = awaitScrape(standalonePort, "the example provider's first obtain counted",
                s -> s.value(exampleOk).orElse(0.0) >= 1).get(exampleOk);
        ok(standalone, "token:obtain", "example");
        Scrape after = Scrape.of(standalonePort);
        assertThat(after.get(exampleOk)).isEqualTo(before + 1);
        assertThat(after.get("tokenhost_obtain_duration_seconds_count{service=\"example\"}")).isEqualTo(before + 1);
        assertThat(after.families).containsEntry("tokenhost_obtains", "counter")
                .containsEntry("tokenhost_obtain_duration_seconds", "histogram")
                .containsEntry("tokenhost_token_valid_until_seconds", "gauge");
        assertThat(after.get("tokenhost_role{role=\"standalone\"}")).isEqualTo(1);
        assertThat(after.get("tokenhost_plugins{state=\"active\"}")).isEqualTo(2);
        assertThat(after.get("tokenhost_plugin_problems{}")).isZero();
        assertThat(after.get("tokenhost_service_state{service=\"example\",state=\"valid\"}")).isEqualTo(1);
        assertThat(after.names()).contains("jvm_memory_used_bytes", "jvm_threads_current");

        // a corrupt jar in plugins/ is a plugin problem, and a failed plugin in the audit log
        Files.write(standalone.plugins().resolve("corrupt.jar"), new byte[] {'P', 'K', 3, 4, 0, 0});
        Scrape corrupt = awaitScrape(standalonePort, "the corrupt jar counted as a problem",
                s -> s.value("tokenhost_plugin_problems{}").orElse(0.0) == 1);
        assertThat(corrupt.get("tokenhost_plugins{state=\"not_installed\"}")).isEqualTo(1);
        Await.atMost(WAIT).until("plugin_failed in the audit log", () -> Files.readString(standalone.home.resolve(
                "log/audit.jsonl")).contains("{\"event\":\"plugin_failed\"},{\"file\":\"corrupt.jar\"},{\"state\":\"not_installed\"}"));
        Files.delete(standalone.plugins().resolve("corrupt.jar"));
        awaitScrape(standalonePort, "no plugin problem once it is gone", s -> s.value("tokenhost_plugin_problems{}").orElse(1.0) == 0);

        // the chaos provider fails (almost) every obtain: failures rise, not ready
        String chaosFailed = "tokenhost_obtains_total{result=\"failure\",service=\"chaos\"}";
        double failures = awaitScrape(standalonePort, "chaos failures counted",
                s -> s.value(chaosFailed).orElse(0.0) >= 1).get(chaosFailed);
        Scrape failing = awaitScrape(standalonePort, "chaos failures rising",
                s -> s.value(chaosFailed).orElse(0.0) > failures);
        assertThat(failing.get("tokenhost_consecutive_failures{service=\"chaos\"}")).isGreaterThanOrEqualTo(2);
        assertThat(failing.get("tokenhost_service_state{service=\"chaos\",state=\"failing\"}")).isEqualTo(1);
        assertThat(failing.get("tokenhost_ready{}")).isZero();
        HttpResponse<String> notReady = Scrape.get(standalonePort, "/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("\"status\":\"not ready\"", "service 'chaos' is FAILING");
        exposed.addAll(failing.names());

        Files.writeString(chaosConfig, chaosSettings("0"));
        Await.atMost(WAIT).until("/ready 200 once the chaos provider recovered",
                () -> Scrape.get(standalonePort, "/ready").statusCode() == 200);
        Scrape recovered = Scrape.of(standalonePort);
        assertThat(recovered.get("tokenhost_obtains_total{result=\"success\",service=\"chaos\"}")).isGreaterThanOrEqualTo(1);
        assertThat(recovered.get("tokenhost_consecutive_failures{service=\"chaos\"}")).isZero();
        assertThat(Scrape.get(standalonePort, "/live").body()).contains("\"status\":\"live\"");
        exposed.addAll(recovered.names());
    }

    @Test
    @Order(2)
    void onlyGetOnTheThreePaths() throws Exception {
        URI metrics = URI.create("http://127.0.0.1:" + standalonePort + "/metrics");
        assertThat(Scrape.send(HttpRequest.newBuilder(metrics).POST(HttpRequest.BodyPublishers.ofString("x")))
                .statusCode()).isEqualTo(405);
        assertThat(Scrape.send(HttpRequest.newBuilder(metrics).DELETE()).statusCode()).isEqualTo(405);
        for (String path : List.of("/", "/metricsx", "/-/healthy", "/metrics/", "/conf")) {
            assertThat(Scrape.get(standalonePort, path).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(Scrape.send(HttpRequest.newBuilder(metrics).method("HEAD", HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void theAuditLogIsOwnerOnlyJsonLinesWithoutConfigurationValues() throws Exception {
        Path audit = standalone.home.resolve("log/audit.jsonl");
        Await.atMost(WAIT).until("the console command in the audit log",
                () -> Files.readString(audit).contains("\"command\":\"token:obtain\""));
        assertThat(Files.getPosixFilePermissions(audit)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        List<String> events = Scrape.auditEvents(audit);
        assertThat(events).contains("obtain", "console_command", "plugin_installed", "configuration_changed");
        String text = Files.readString(audit);
        assertThat(text).containsPattern("\"fingerprint\":\"[0-9a-f]{12}\"")
                .contains("{\"pid\":\"io.tokenhost.fixture.chaos\"}", "obtain.log")
                .as("configuration values never reach the audit log").doesNotContain(obtainLog.toString());
    }

    @Test
    @Order(4)
    void aWorkersValidUntilMatchesTheManagersAndAKilledWorkerLowersWorkersConnected() throws Exception {
        String validUntil = "tokenhost_token_valid_until_seconds{service=\"example\"}";
        awaitScrape(managerPort, "the worker connected", s -> s.value("tokenhost_manager_workers_connected{}")
                .orElse(0.0) == 1);
        ok(manager, "token:obtain", "example"); // a push to a connected worker
        Scrape managerScrape = awaitScrape(managerPort, "the manager sees one worker that has the current version",
                s -> s.value("tokenhost_manager_workers_connected{}").orElse(0.0) == 1
                        && s.value("tokenhost_manager_workers_behind{}").orElse(1.0) == 0
                        && s.value(validUntil).isPresent());
        double managerValidUntil = managerScrape.get(validUntil);
        Scrape workerScrape = awaitScrape(workerPort, "the worker holds the manager's example tokens",
                s -> s.value(validUntil).orElse(0.0) == managerValidUntil);
        assertThat(workerScrape.get("tokenhost_worker_connected{}")).isEqualTo(1);
        assertThat(workerScrape.get("tokenhost_role{role=\"worker\"}")).isEqualTo(1);
        assertThat(workerScrape.get("tokenhost_worker_last_container_age_seconds{}")).isBetween(0.0, 60.0);
        assertThat(workerScrape.get("tokenhost_receiver_deliveries_total{service=\"example\"}")).isGreaterThanOrEqualTo(1);
        assertThat(Scrape.get(workerPort, "/ready").statusCode()).isEqualTo(200);
        Scrape acked = awaitScrape(managerPort, "a push acknowledged by every worker",
                s -> s.value("tokenhost_manager_push_acknowledged_seconds_count{}").orElse(0.0) >= 1);
        assertThat(acked.get("tokenhost_role{role=\"manager\"}")).isEqualTo(1);
        assertThat(acked.get("tokenhost_obtaining_ready{}")).isEqualTo(1);
        exposed.addAll(acked.names());
        exposed.addAll(workerScrape.names());

        Process host = worker.host();
        host.destroyForcibly(); // SIGKILL
        assertThat(host.waitFor(20, TimeUnit.SECONDS)).isTrue();
        awaitScrape(managerPort, "workers connected back to 0",
                s -> s.value("tokenhost_manager_workers_connected{}").orElse(-1.0) == 0);
    }

    @Test
    @Order(5)
    void docsNameOnlyMetricsTheEndpointExposes() throws Exception {
        Path docs = Path.of(System.getProperty("tokenhost.docs", "../../docs"));
        for (String file : List.of("alerts.yml", "grafana-dashboard.json")) {
            Set<String> named = namedIn(docs.resolve(file));
            assertThat(named).as(file + " names metrics").isNotEmpty();
            assertThat(exposed).as("metrics named in docs/" + file + " that no scrape exposed").containsAll(named);
        }
        Set<String> documented = namedIn(docs.resolve("metrics.md"));
        assertThat(documented).as("every tokenhost_ metric scraped is documented in docs/metrics.md")
                .containsAll(families.stream().filter(n -> n.startsWith("tokenhost_")).toList());
    }

    private static Set<String> namedIn(Path file) throws Exception {
        Set<String> named = new TreeSet<>();
        Matcher m = METRIC_NAME.matcher(Files.readString(file));
        while (m.find()) {
            named.add(m.group(1));
        }
        return named;
    }

    @Test
    @Order(6)
    void aPortInUseIsAnErrorNamingTheKeyAndTheHostRunsOn() throws Exception {
        metricsPort(standalone, managerPort);
        Await.atMost(WAIT).until("the ERROR naming the port", () -> Installation.read(standalone.log())
                .contains("Metrics endpoint not started, the host runs on without it until io.tokenhost.metrics changes:"
                        + " port: cannot listen on 127.0.0.1:" + managerPort));
        assertThat(ok(standalone, "token:status")).contains("io.tokenhost.metrics", "port: cannot listen");
        metricsPort(standalone, standalonePort);
        Await.atMost(WAIT).until("the endpoint back on its port",
                () -> Scrape.get(standalonePort, "/live").statusCode() == 200);
    }

    @Test
    @Order(7)
    void aSilentConsoleConnectionIsCountedAsARefusal() throws Exception {
        String idleClosed = "tokenhost_refusals_total{reason=\"idle-closed\",source=\"console\"}";
        Scrape before = awaitScrape(standalonePort, "the console's and the remote bundle's counters",
                s -> s.value(idleClosed).isPresent());
        assertThat(before.get("tokenhost_refusals_total{reason=\"busy\",source=\"console\"}")).isZero();
        assertThat(before.get("tokenhost_refusals_total{reason=\"malformed-frames\",source=\"remote\"}")).isZero();
        try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(standalone.socket()))) {
            // connected, and never sends its command: the console closes it after 1 s and counts it
            awaitScrape(standalonePort, "the idle connection counted", s -> s.value(idleClosed).orElse(0.0)
                    == before.get(idleClosed) + 1);
        }
    }

    private Scrape awaitScrape(int port, String what, java.util.function.Predicate<Scrape> accept)
            throws InterruptedException {
        Scrape scrape = Await.atMost(WAIT).every(Duration.ofMillis(250)).until(what, () -> Scrape.of(port), accept);
        exposed.addAll(scrape.names());
        scrape.families.forEach((name, type) -> families.add(type.equals("counter") ? name + "_total" : name));
        return scrape;
    }
}
