package io.tokenhost.sandbox;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import io.tokenhost.sandbox.cluster.SecureHdfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code tools/sandbox.sh --hygiene [N [PAUSE]]}: updates the Hadoop bundle in {@code plugins/} N times while the
 * host runs and obtains real tokens, and prints metaspace and class counts after full GCs
 * (jcmd GC.run, jstat). A measurement that prints figures, not a test.
 */
public final class HygieneMeasure {

    private HygieneMeasure() {
    }

    public static void main(String[] args) throws Exception {
        Path artifacts = Path.of(System.getProperty("tokenhost.sandbox.artifacts", "tools/sandbox/target/sandbox/artifacts")).toAbsolutePath();
        Path work = artifacts.getParent().resolve("hygiene");
        Path clusterLog = SandboxLog.redirect(work.resolve("logs"));
        Sandbox.say("mini cluster logs: " + clusterLog);
        try {
            measure(args, artifacts, work);
        } catch (Throwable e) {
            e.printStackTrace(); // standard error is the log file
            SandboxLog.last("FAILED: " + SandboxLog.firstLine(e) + " (details: " + clusterLog + ")");
            System.exit(1);
        }
        SandboxLog.last("done");
        System.exit(0);
    }

    private static void measure(String[] args, Path artifacts, Path work) throws Exception {
        int updates = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Duration pauseAfter = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 70);
        Path bundle = artifacts.resolve("tokenhost-hadoop-bundle.jar");
        try (SecureHdfs hdfs = SecureHdfs.start(work.resolve("cluster"), Duration.ofMinutes(10), Duration.ofHours(8));
                Installation host = Installation.unpack(artifacts.resolve("tokenhost-distribution.tar.gz"), work.resolve("host"))) {
            Path tokenFile = host.home.resolve("tokens/hadoop.token");
            host.writeConfig("io.tokenhost.hadoop", Map.of(
                    "security.kerberos.login.principal", hdfs.clientPrincipal(),
                    "security.kerberos.login.keytab", hdfs.clientKeytab().toString(),
                    "hadoop.conf.dir", hdfs.clientConfDir().toString()));
            host.writeConfig("io.tokenhost.hadoop.receiver", Map.of("token-file", tokenFile.toString()));
            host.dropPlugin(bundle, "tokenhost-hadoop-bundle.jar");
            host.javaOpt("-Djava.security.krb5.conf=" + hdfs.krb5Conf());
            host.javaOpt("--add-opens=java.base/java.lang=ALL-UNNAMED");
            host.javaOpt("-XX:NativeMemoryTracking=off");
            host.startHeadless();
            host.awaitReady(Duration.ofSeconds(60));
            long pid = host.host().pid();
            awaitCount(host.log(), "hadoopfs receiver installed", 1);

            Figures before = Figures.measure(pid);
            Sandbox.say("after the first obtain: " + before);
            Path plugin = host.home.resolve("plugins/tokenhost-hadoop-bundle.jar");
            long started = System.nanoTime();
            for (int i = 1; i <= updates; i++) {
                int obtained = count(host.log(), "hadoopfs receiver installed");
                host.dropPlugin(bundle, "tokenhost-hadoop-bundle.jar");
                Files.setLastModifiedTime(plugin, FileTime.from(Instant.now().plusSeconds(i)));
                awaitCount(host.log(), "hadoopfs receiver installed", obtained + 1);
            }
            // Idle Hadoop IPC connections close after 10 s; the JDK's "process reaper" thread, created
            // when Hadoop's Shell first ran a command (setsid check) with the bundle's classes on the
            // stack, keeps that revision's protection domain until it idles out after 60 s.
            Sandbox.say("waiting " + pauseAfter.toSeconds() + " s for idle threads to end (IPC: 10 s, JDK process reaper: 60 s)");
            Thread.sleep(pauseAfter.toMillis());
            Figures after = Figures.measure(pid);
            Sandbox.say(updates + " updates (each: bundle replaced, provider re-activated, real token obtained) in "
                    + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s");
            Sandbox.say("after " + updates + " updates: " + after);
            Sandbox.say(String.format("metaspace growth after GC: %.1f MB (%.2f MB per update); classes unloaded: %d; "
                    + "Hadoop statistics cleaner threads alive: %d",
                    (after.metaspaceUsedKb - before.metaspaceUsedKb) / 1024.0,
                    (after.metaspaceUsedKb - before.metaspaceUsedKb) / 1024.0 / updates,
                    after.unloaded - before.unloaded, after.cleanerThreads));
            String hold = System.getenv("TOKENHOST_HYGIENE_HOLD_SECONDS");
            if (hold != null) {
                Sandbox.say("holding the host (pid " + pid + ") for " + hold + " s for inspection");
                Thread.sleep(Long.parseLong(hold) * 1000);
            }
        }
    }

    private static int count(Path log, String text) throws Exception {
        String content = Installation.read(log);
        int n = 0;
        for (int i = content.indexOf(text); i >= 0; i = content.indexOf(text, i + 1)) {
            n++;
        }
        return n;
    }

    private static void awaitCount(Path log, String text, int wanted) throws Exception {
        Await.atMost(Duration.ofSeconds(90)).until("'" + text + "' " + wanted + " times in " + log,
                () -> count(log, text) >= wanted);
    }

    /** Metaspace and class counts of a JVM, after full GCs. */
    record Figures(long metaspaceUsedKb, long loaded, long unloaded, int cleanerThreads, long bundleClassLoaders,
            java.util.SortedMap<String, Integer> threads) {

        static Figures measure(long pid) throws Exception {
            for (int i = 0; i < 3; i++) {
                run("jcmd", Long.toString(pid), "GC.run");
                Thread.sleep(500);
            }
            List<String> gc = run("jstat", "-gc", Long.toString(pid));
            List<String> cls = run("jstat", "-class", Long.toString(pid));
            long mu = (long) Double.parseDouble(column(gc, "MU"));
            long loaded = (long) Double.parseDouble(column(cls, "Loaded"));
            long unloaded = (long) Double.parseDouble(column(cls, "Unloaded"));
            int cleaners = 0;
            java.util.SortedMap<String, Integer> threads = new java.util.TreeMap<>();
            for (String line : run("jcmd", Long.toString(pid), "Thread.print")) {
                if (line.startsWith("\"org.apache.hadoop.fs.FileSystem$Statistics$StatisticsDataReferenceCleaner\"")) {
                    cleaners++;
                }
                if (line.startsWith("\"")) {
                    threads.merge(line.substring(1, line.indexOf('"', 1)).replaceAll("[0-9]+", "N"), 1, Integer::sum);
                }
            }
            long loaders = 0;
            for (String line : run("jcmd", Long.toString(pid), "GC.class_histogram")) {
                if (line.endsWith("org.apache.felix.framework.BundleWiringImpl$BundleClassLoader")) {
                    loaders = Long.parseLong(line.trim().split("\\s+")[1]);
                }
            }
            return new Figures(mu, loaded, unloaded, cleaners, loaders, threads);
        }

        private static String column(List<String> lines, String name) {
            String[] header = lines.get(0).trim().split("\\s+");
            String[] values = lines.get(1).trim().split("\\s+");
            for (int i = 0; i < header.length; i++) {
                if (header[i].equals(name)) {
                    return values[i];
                }
            }
            throw new IllegalStateException("no column " + name + " in " + lines);
        }

        private static List<String> run(String tool, String... args) throws Exception {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", tool).toString());
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(tool + " failed: " + out);
            }
            return List.of(out.split("\n"));
        }

        @Override
        public String toString() {
            return String.format("metaspace used %.1f MB, classes loaded %d (unloaded %d so far), "
                    + "bundle class loaders %d, threads %s", metaspaceUsedKb / 1024.0, loaded, unloaded, bundleClassLoaders, threads);
        }
    }
}
