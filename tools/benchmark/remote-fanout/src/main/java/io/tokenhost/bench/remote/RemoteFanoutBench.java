package io.tokenhost.bench.remote;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.distribution.TokenContainerListener;
import io.tokenhost.itests.support.Await;
import io.tokenhost.metrics.EmbeddedMetrics;
import io.tokenhost.remote.telemetry.ManagerWatch;
import io.tokenhost.remote.manager.ListenOptions;
import io.tokenhost.remote.manager.ManagerServer;
import io.tokenhost.remote.tls.TlsContexts;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The remote fan-out benchmark. This JVM is the manager (a real {@link ManagerServer} with mutual
 * TLS on loopback); for each N a child JVM runs N simulated workers ({@link SimulatedWorkers}), each
 * with its own TLS connection. Per round, a new container (3 services, 1 KiB each) is offered and
 * the time until all N acknowledgements have arrived is measured. Prints the figures, plus this
 * JVM's heap (used after GC with N connected, and peak), CPU time per round and resident memory.
 *
 * <p>Arguments: comma-separated worker counts (default 100,1000,10000), rounds per count (20), and
 * {@code scrape}: then each N is measured twice on the same connected workers, first as above, then
 * with the host's metrics in place ({@link ManagerWatch} between the manager and its server, the
 * metrics registry and endpoint of {@code host/metrics}) and {@code /metrics} scraped once a second
 * over HTTP, and the cost of the metrics is printed as the difference of the two.
 */
public final class RemoteFanoutBench {

    private static final long CONNECT_TIMEOUT_MS = 300_000;
    private static final long ROUND_TIMEOUT_MS = 60_000;
    /** Deliveries (rounds × N) run before measuring, so that the JIT has compiled the paths. */
    private static final int WARMUP_DELIVERIES = 30_000;

    private RemoteFanoutBench() {
    }

    public static void main(String[] args) throws Exception {
        int[] counts = Arrays.stream((args.length > 0 ? args[0] : "100,1000,10000").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        boolean scrape = args.length > 2 && args[2].equals("scrape");
        Path certs = Files.createTempDirectory("tokenhost-bench-certs");
        devCerts(certs);

        System.out.printf("Remote fan-out: manager in this JVM (max heap %d MB, %d cores), workers in a child JVM,"
                + " loopback mutual TLS, %d rounds per N%n", Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors(), rounds);
        System.out.println("TLS implementation: " + TlsContexts.server(certs.resolve("ca.crt"), certs.resolve("manager.crt"),
                certs.resolve("manager.key")).getClass().getSimpleName());
        System.out.printf("%8s %8s %10s %10s %10s %10s %10s %12s %12s %12s %10s %20s%n", "N", "metrics", "p50 ms",
                "p90 ms", "max ms", "offer ms", "connect s", "heap MB", "heap peak MB", "CPU ms/round", "RSS MB",
                "worker CPU ms/round");
        for (int n : counts) {
            run(n, rounds, certs, scrape);
        }
    }

    private static void run(int n, int rounds, Path certs, boolean scrape) throws Exception {
        SslContext tls = TlsContexts.server(certs.resolve("ca.crt"), certs.resolve("manager.crt"),
                certs.resolve("manager.key"));
        // the simulated workers share one certificate, so their ids ("sim-N") cannot be its CN
        ListenOptions options = ListenOptions.mutualTls(new InetSocketAddress("127.0.0.1", 0), tls).acceptingAnyWorkerId();
        try (ManagerServer server = new ManagerServer(options, Clock.systemUTC()).start()) {
            AtomicReference<CountDownLatch> pending = new AtomicReference<>(new CountDownLatch(0));
            AtomicLong expected = new AtomicLong(-1);
            AtomicReference<ManagerWatch> watching = new AtomicReference<>();
            server.onAcknowledgement(version -> {
                if (version == expected.get()) {
                    pending.get().countDown();
                }
                ManagerWatch watch = watching.get();
                if (watch != null) {
                    watch.acknowledged(version);
                }
            });
            long[] version = {1};
            server.onContainer(container(version[0]));

            long connectStart = System.nanoTime();
            Process workers = startWorkers(server.port(), n, certs);
            try {
                Await.atMost(Duration.ofMillis(CONNECT_TIMEOUT_MS)).every(Duration.ofMillis(50)).until(
                        "all " + n + " workers connected", () -> {
                            if (!workers.isAlive()) {
                                throw new AssertionError("the worker JVM exited with " + workers.exitValue());
                            }
                            return server.connectedWorkers();
                        }, connected -> connected >= n);
                double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
                if (!scrape) {
                    rounds(server, server, n, rounds, version, pending, expected, workers, connectSeconds, "off");
                } else {
                    // off, on, off: the cost is "on" against the mean of the two "off" runs around it, so that
                    // neither warm-up nor a drift of this shared machine counts as the metrics' cost
                    rounds(server, server, n, rounds, version, pending, expected, workers, connectSeconds, "warm-up");
                    Figures before = rounds(server, server, n, rounds, version, pending, expected, workers,
                            connectSeconds, "off");
                    Figures on;
                    int scrapes;
                    int bytes;
                    try (EmbeddedMetrics metrics = new EmbeddedMetrics(null, null)) {
                        ManagerWatch watch = new ManagerWatch(server, Clock.systemUTC(), metrics.events(), "manager");
                        metrics.role(watch);
                        watching.set(watch);
                        Scraper scraper = new Scraper(metrics.serve("127.0.0.1", 0));
                        scraper.start();
                        try {
                            on = rounds(server, watch, n, rounds, version, pending, expected, workers, connectSeconds,
                                    "1/s");
                        } finally {
                            scraper.interrupt();
                            scraper.join();
                            watching.set(null);
                        }
                        scrapes = scraper.scrapes;
                        bytes = scraper.lastBytes;
                    }
                    Figures after = rounds(server, server, n, rounds, version, pending, expected, workers,
                            connectSeconds, "off");
                    double p50 = (before.p50() + after.p50()) / 2;
                    double cpu = (before.cpuPerRound() + after.cpuPerRound()) / 2;
                    System.out.printf("%8d metrics scraped at 1/s cost: p50 %+.1f %% (%.1f ms against %.1f ms), manager CPU"
                            + " per round %+.1f %% (%.1f ms against %.1f ms); %d scrapes of %d bytes%n", n,
                            (on.p50() - p50) / p50 * 100, on.p50(), p50, (on.cpuPerRound() - cpu) / cpu * 100,
                            on.cpuPerRound(), cpu, scrapes, bytes);
                }
            } finally {
                workers.getOutputStream().close();
                if (!workers.waitFor(30, TimeUnit.SECONDS)) {
                    workers.destroyForcibly();
                }
            }
        }
    }

    /** The p50 to all acknowledgements and the manager's CPU per round, in ms. */
    private record Figures(double p50, double cpuPerRound) {
    }

    /** Runs the rounds through {@code offer} (the server itself, or a watch in front of it); prints a line. */
    private static Figures rounds(ManagerServer server, TokenContainerListener offer, int n, int rounds, long[] version,
            AtomicReference<CountDownLatch> pending, AtomicLong expected, Process workers, double connectSeconds,
            String metrics) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        Thread.sleep(200);
        long heapConnected = memory.getHeapMemoryUsage().getUsed();
        long heapPeak = heapConnected;

        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Double> times = new ArrayList<>();
        List<Double> offers = new ArrayList<>();
        final int WARMUP = Math.max(3, WARMUP_DELIVERIES / n);
        long cpuStart = os.getProcessCpuTime();
        long workerCpuStart = 0;
        for (int r = 0; r < rounds + WARMUP; r++) {
            version[0]++;
            CountDownLatch all = new CountDownLatch(n);
            pending.set(all);
            expected.set(version[0]);
            long t0 = System.nanoTime();
            offer.onContainer(container(version[0]));
            long t1 = System.nanoTime();
            if (!all.await(ROUND_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("round " + r + ": " + all.getCount() + " of " + n
                        + " acknowledgements missing after " + ROUND_TIMEOUT_MS + " ms");
            }
            long t2 = System.nanoTime();
            if (r >= WARMUP) {
                times.add((t2 - t0) / 1e6);
                offers.add((t1 - t0) / 1e6);
            } else if (r == WARMUP - 1) {
                cpuStart = os.getProcessCpuTime();
                workerCpuStart = cpuMillis(workers.pid());
            }
            heapPeak = Math.max(heapPeak, memory.getHeapMemoryUsage().getUsed());
            Thread.sleep(50); // let acks of stragglers and GC settle between rounds
        }
        double cpuPerRound = (os.getProcessCpuTime() - cpuStart) / 1e6 / rounds;
        double workerCpuPerRound = (cpuMillis(workers.pid()) - workerCpuStart) / (double) rounds;
        times.sort(null);
        offers.sort(null);
        System.out.printf("%8d %8s %10.1f %10.1f %10.1f %10.1f %10.1f %12.1f %12.1f %12.1f %10d %20.1f%n", n, metrics,
                pct(times, 0.5), pct(times, 0.9), times.get(times.size() - 1), pct(offers, 0.5), connectSeconds,
                heapConnected / 1048576.0, heapPeak / 1048576.0, cpuPerRound, rssMb(), workerCpuPerRound);
        return new Figures(pct(times, 0.5), cpuPerRound);
    }

    /** GETs /metrics once a second, as a Prometheus server would, until interrupted. */
    private static final class Scraper extends Thread {
        private final HttpClient http = HttpClient.newHttpClient();
        private final URI uri;
        volatile int scrapes;
        volatile int lastBytes;

        Scraper(int port) {
            super("bench-scraper");
            setDaemon(true);
            this.uri = URI.create("http://127.0.0.1:" + port + "/metrics");
        }

        @Override
        public void run() {
            try {
                while (!isInterrupted()) {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200 || !response.body().contains("tokenhost_manager_workers_connected")) {
                        throw new IllegalStateException("scrape answered " + response.statusCode());
                    }
                    scrapes++;
                    lastBytes = response.body().length();
                    Thread.sleep(1000);
                }
            } catch (InterruptedException e) {
                // done
            } catch (Exception e) {
                System.err.println("scraper: " + e);
            }
        }
    }

    static TokenContainer container(long version) {
        SecureRandom random = new SecureRandom();
        Map<String, byte[]> tokens = new TreeMap<>();
        for (String service : List.of("hadoopfs", "hbase", "s3")) {
            byte[] bytes = new byte[1024];
            random.nextBytes(bytes);
            tokens.put(service, bytes);
        }
        return TokenContainer.of(version, tokens);
    }

    private static Process startWorkers(int port, int n, Path certs) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx6g", "-Xss256k",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        String extra = System.getProperty("bench.worker.jvm-options", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SimulatedWorkers.class.getName(),
                String.valueOf(port), String.valueOf(n), certs.toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }

    private static void devCerts(Path dir) throws Exception {
        io.tokenhost.itests.support.DevCerts.create(Path.of(System.getProperty("tokenhost.dev-certs",
                io.tokenhost.itests.support.DevCerts.SCRIPT_IN_SOURCES)), dir, "Tokenhost development CA", "manager", "worker");
    }

    private static double pct(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    /** User + system CPU time of a process, from /proc (Linux), in milliseconds. */
    private static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10; // USER_HZ = 100
        } catch (Exception e) {
            return 0;
        }
    }

    private static long rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }
}
