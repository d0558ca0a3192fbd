package io.tokenhost.bench.remote;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.ZooKeeperServers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The fan-out benchmark's failover mode: a ZooKeeper server process, two managers ({@link
 * HaBenchManager}, each its own JVM, electing a leader with the default session timeout of 6 s)
 * and N simulated workers in child JVMs (at most 5,000 each) listing both. Once every worker acknowledged the leader's
 * container, the leader is killed (SIGKILL); measured: the time until all N acknowledged the new
 * leader's container (no worker left behind), the standby's heap with N workers at the leader (and
 * their pre-held streams at the standby: {@code held}) and after it took them over, and how many new
 * connections the new leader accepted meanwhile ({@code new conns}: 0 when every worker was held).
 *
 * <p>Arguments: comma-separated worker counts (default 1000,10000).
 */
public final class FailoverBench {

    private static final long TIMEOUT_MS = 300_000;
    private static final int WORKERS_PER_JVM = 5_000;

    private FailoverBench() {
    }

    public static void main(String[] args) throws Exception {
        int[] counts = Arrays.stream((args.length > 0 ? args[0] : "1000,10000").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        Path dir = Files.createTempDirectory("tokenhost-failover-bench");
        Path certs = dir.resolve("certs");
        io.tokenhost.itests.support.DevCerts.create(Path.of(System.getProperty("tokenhost.dev-certs",
                io.tokenhost.itests.support.DevCerts.SCRIPT_IN_SOURCES)), certs, "Tokenhost development CA", "manager", "worker");
        System.out.printf("Failover: ZooKeeper server process, 2 managers (own JVMs, %s, session timeout 6 s), N"
                + " workers in child JVMs of at most 5,000 (first reconnect delay 1 s), loopback mutual TLS, %d cores%n",
                System.getProperty("bench.manager.heap", "-Xmx512m"), Runtime.getRuntime().availableProcessors());
        System.out.printf("%8s %10s %12s %10s %16s %18s %14s%n", "N", "connect s", "failover ms", "held", "standby heap MB",
                "new leader heap MB", "new conns");
        try (ZooKeeperServers zookeeper = ZooKeeperServers.start(dir.resolve("zookeeper"), 1)) {
            for (int n : counts) {
                run(n, zookeeper, certs, dir);
            }
        }
    }

    private static void run(int n, ZooKeeperServers zookeeper, Path certs, Path dir) throws Exception {
        int p1 = freePort();
        int p2 = freePort();
        Child m1 = Child.start("m1-" + n, dir, HaBenchManager.class.getName(), System.getProperty("bench.manager.heap",
                "-Xmx512m"), zookeeper.connectString(), String.valueOf(p1), String.valueOf(n), certs.toString());
        Child m2 = null;
        List<Child> workers = new ArrayList<>();
        try {
            m1.await("LEADING", TIMEOUT_MS);
            m2 = Child.start("m2-" + n, dir, HaBenchManager.class.getName(), System.getProperty("bench.manager.heap",
                    "-Xmx512m"), zookeeper.connectString(), String.valueOf(p2), String.valueOf(n), certs.toString());
            Thread.sleep(2000); // m2 joined the election as a standby
            long connectStart = System.nanoTime();
            // every worker holds two connections (the leader, and its pre-held stream at the standby): at most
            // WORKERS_PER_JVM per JVM keeps each within a 20,000 open-files limit
            for (int first = 0; first < n; first += WORKERS_PER_JVM) {
                int count = Math.min(WORKERS_PER_JVM, n - first);
                workers.add(Child.start("workers-" + n + "-" + first, dir, SimulatedWorkers.class.getName(),
                        "-Xmx3g -Xss256k", p1 + "," + p2, String.valueOf(count), certs.toString(), "1000",
                        String.valueOf(first)));
            }
            m1.await("ACKED", TIMEOUT_MS);
            // and every worker holds a stream at the standby (opened once the leader welcomed it)
            Child standby = m2;
            String[] before = Await.atMost(Duration.ofMillis(TIMEOUT_MS)).every(Duration.ofSeconds(1)).until(
                    "all " + n + " workers holding a stream at the standby m2", () -> {
                        standby.send("heap");
                        return standby.await("HEAP", 60_000);
                    }, heap -> Integer.parseInt(heap.split(" ")[3]) >= n).split(" ");
            double connect = (System.nanoTime() - connectStart) / 1e9;
            String standbyHeap = before[1];
            long killed = System.currentTimeMillis();
            m1.process.destroyForcibly();
            m1.process.waitFor(20, TimeUnit.SECONDS);
            String acked = m2.await("ACKED", TIMEOUT_MS);
            long failover = Long.parseLong(acked.split(" ")[2]) - killed;
            m2.send("heap");
            String[] after = m2.await("HEAP", 60_000).split(" ");
            // new connections the new leader accepted between the kill and the last acknowledgement
            long newConnections = Long.parseLong(after[2]) - Long.parseLong(before[2]);
            System.out.printf("%8d %10.1f %12d %10s %16s %18s %14d%n", n, connect, failover, before[3], standbyHeap,
                    after[1], newConnections);
        } finally {
            List<Child> all = new ArrayList<>(workers);
            all.addAll(Arrays.asList(m2, m1));
            for (Child c : all) {
                if (c != null) {
                    c.stop();
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A child JVM on this classpath whose output lines are read as they come (and kept in a file). */
    private static final class Child {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final PrintStream in;

        private Child(Process process, Path log) throws IOException {
            this.process = process;
            this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8)); PrintStream file = new PrintStream(Files.newOutputStream(log))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        file.println(line);
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the child ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(String name, Path dir, String main, String jvmOptions, String... args) throws IOException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = new ArrayList<>(List.of(java.toString()));
            command.addAll(List.of(jvmOptions.trim().split("\\s+")));
            command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                    System.getProperty("java.class.path"), main));
            command.addAll(List.of(args));
            return new Child(new ProcessBuilder(command).redirectErrorStream(true).start(), dir.resolve(name + ".out"));
        }

        void send(String line) {
            in.println(line);
        }

        /** The next line that starts with {@code prefix} (earlier lines are dropped); fails at once if the child exits. */
        String await(String prefix, long timeoutMs) throws Exception {
            return Await.atMost(Duration.ofMillis(timeoutMs)).every(Duration.ZERO).value("a line " + prefix
                    + " from the child JVM", () -> {
                        String line = lines.poll(200, TimeUnit.MILLISECONDS);
                        if (line == null && !process.isAlive()) {
                            throw new AssertionError("a child JVM exited with " + process.exitValue() + " waiting for "
                                    + prefix);
                        }
                        return Optional.ofNullable(line).filter(l -> l.startsWith(prefix));
                    });
        }

        void stop() throws InterruptedException {
            in.close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
