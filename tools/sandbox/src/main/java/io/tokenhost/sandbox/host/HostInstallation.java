package io.tokenhost.sandbox.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One unpacked copy of the distribution tarball with the Hadoop bundle in {@code plugins/} and
 * {@code conf/*.cfg} written for a cluster; the host ({@code bin/tokenhost}) runs as its own
 * process: a real Felix, its own JVM-wide Kerberos configuration, nothing of the test's class path.
 */
public final class HostInstallation implements AutoCloseable {

    /** What a finished {@code bin/tokenhost client} left. */
    public record Result(int status, String stdout, String stderr) {
    }

    private final Path home;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> javaOpts = new ArrayList<>();
    private Process host;

    private HostInstallation(Path home) {
        this.home = home;
    }

    /** Unpacks the tarball into {@code dir} (deleted first) and returns the installation. */
    public static HostInstallation unpack(Path tarball, Path dir) throws IOException, InterruptedException {
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toAbsolutePath().toString(), "-C", dir.toString())
                .inheritIO().start();
        if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
            throw new IOException("could not unpack " + tarball);
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return new HostInstallation(entries.filter(Files::isDirectory).findFirst().orElseThrow());
        }
    }

    public Path home() {
        return home;
    }

    public Path log() {
        return home.resolve("log/tokenhost.log");
    }

    public Path hostOutput() {
        return home.resolve("log/host.out");
    }

    /** Writes {@code conf/<pid>.cfg} (atomically: FileInstall may be watching). */
    public void writeConfig(String pid, Map<String, String> entries) throws IOException {
        StringBuilder text = new StringBuilder("# written by the Tokenhost sandbox\n");
        entries.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Path target = home.resolve("conf").resolve(pid + ".cfg");
        Path tmp = home.resolve("conf").resolve(pid + ".cfg.part");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public void deleteConfig(String pid) throws IOException {
        Files.deleteIfExists(home.resolve("conf").resolve(pid + ".cfg"));
    }

    /** Copies a plugin jar into {@code plugins/} as {@code *.part}, then renames it (FileInstall sees it whole). */
    public void dropPlugin(Path jar, String name) throws IOException {
        Path target = home.resolve("plugins").resolve(name);
        Path tmp = home.resolve("plugins").resolve(name + ".part");
        Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Extra JVM options for the host (JAVA_OPTS). */
    public void javaOpt(String option) {
        javaOpts.add(option);
    }

    /** Starts {@code bin/tokenhost --headless}, output to {@link #hostOutput()}. */
    public Process startHeadless() throws IOException {
        Files.createDirectories(hostOutput().getParent());
        ProcessBuilder pb = new ProcessBuilder(bin().toString(), "--headless")
                .redirectErrorStream(true).redirectOutput(hostOutput().toFile());
        environment(pb);
        host = track(pb.start());
        return host;
    }

    /** Starts {@code bin/tokenhost} with the Gogo shell on this terminal. */
    public Process startInteractive() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(bin().toString()).inheritIO();
        environment(pb);
        host = track(pb.start());
        return host;
    }

    private void environment(ProcessBuilder pb) {
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JAVA_OPTS", String.join(" ", javaOpts));
        pb.environment().remove("HADOOP_TOKEN_FILE_LOCATION");
        pb.environment().remove("HADOOP_CONF_DIR");
    }

    public Process host() {
        return host;
    }

    /** Polls {@code client lb} until the host answers. */
    public void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Result last = null;
        while (System.nanoTime() < deadline) {
            if (host != null && !host.isAlive()) {
                throw new IllegalStateException("host exited with " + host.exitValue() + ": " + read(hostOutput()));
            }
            last = client("lb");
            if (last.status() == 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("host not ready within " + timeout + ": " + last);
    }

    /** Runs one Gogo command in the running host, e.g. {@code token:status}. */
    public Result client(String... words) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(bin().toString());
        command.add("client");
        command.addAll(List.of(words));
        Path out = Files.createTempFile("tokenhost-client", ".out");
        Path err = Files.createTempFile("tokenhost-client", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("JAVA_OPTS");
        Process p = track(pb.start());
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                return new Result(-1, "", "client " + List.of(words) + " did not finish within 30 s");
            }
            return new Result(p.exitValue(), read(out), read(err));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    public long hostPid() {
        return host.pid();
    }

    private Path bin() {
        return home.resolve("bin/tokenhost");
    }

    public static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private Process track(Process p) {
        synchronized (processes) {
            processes.add(p);
        }
        return p;
    }

    /** Stops the host (SIGTERM, then kill after 20 s) and every process started from here. */
    @Override
    public void close() throws Exception {
        synchronized (processes) {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
