package io.tokenhost.itests.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One unpacked copy of the distribution tarball, and the processes started from it. Every process
 * is tracked and killed by {@link #close()}.
 */
public final class Installation implements AutoCloseable {

    public static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    /** What a finished {@code bin/tokenhost} process left. */
    public record Result(int status, String stdout, String stderr) {
    }

    public final Path dir;
    public final Path home;
    private final List<Process> processes = new ArrayList<>();
    private Process host;

    private Installation(Path dir, Path home) {
        this.dir = dir;
        this.home = home;
    }

    /** Unpacks a fresh copy under target/it/{name} (short paths: Unix socket paths are limited). */
    public static Installation unpack(String name) throws Exception {
        Path tarball = Path.of(System.getProperty("tokenhost.dist.tarball", "target/dist/tokenhost-distribution.tar.gz"));
        Path dir = Path.of(System.getProperty("tokenhost.it.dir", "target/it")).toAbsolutePath().resolve(name);
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toAbsolutePath().toString(), "-C", dir.toString())
                .inheritIO().start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as("tar exit status").isZero();
        Path home;
        try (Stream<Path> entries = Files.list(dir)) {
            home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        return new Installation(dir, home);
    }

    public Path bin() {
        return home.resolve("bin/tokenhost");
    }

    public Path socket() {
        return home.resolve("run/console.sock");
    }

    public Path log() {
        return home.resolve("log/tokenhost.log");
    }

    public Path hostOutput() {
        return dir.resolve("host.out");
    }

    /** Starts {@code bin/tokenhost --headless}; stdout and stderr go to {@link #hostOutput()}. */
    public Process startHeadless() throws IOException {
        return startHeadless(java.util.Map.of());
    }

    /** As {@link #startHeadless()}, with extra environment variables for the host process. */
    public Process startHeadless(java.util.Map<String, String> environment) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(bin().toString(), "--headless")
                .redirectErrorStream(true)
                .redirectOutput(hostOutput().toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(environment);
        host = track(pb.start());
        return host;
    }

    /** The process of the last {@link #startHeadless()}. */
    public Process host() {
        return host;
    }

    /** Polls {@code client lb} until it succeeds; fails after {@link #READY_TIMEOUT}. */
    public Duration awaitReady() throws Exception {
        long start = System.nanoTime();
        long deadline = start + READY_TIMEOUT.toNanos();
        Result last = null;
        while (System.nanoTime() < deadline) {
            if (host != null && !host.isAlive()) {
                throw new AssertionError("host exited with " + host.exitValue() + ": " + read(hostOutput()));
            }
            last = client("lb");
            if (last.status() == 0) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("host not ready within " + READY_TIMEOUT + "; last client: " + last
                + "; host output: " + read(hostOutput()));
    }

    public Result client(String... words) throws Exception {
        return run(List.of(), words);
    }

    /** Runs the client under another identity, e.g. {@code setpriv --reuid=65534 ...}. */
    public Result clientAs(List<String> prefix, String... words) throws Exception {
        return run(prefix, words);
    }

    private Result run(List<String> prefix, String... words) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.add(bin().toString());
        command.add("client");
        command.addAll(List.of(words));
        Path out = Files.createTempFile(dir, "client", ".out");
        Path err = Files.createTempFile(dir, "client", ".err");
        out.toFile().setReadable(true, false);
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = track(pb.start());
        try {
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("client " + List.of(words) + " did not finish within " + COMMAND_TIMEOUT);
            }
            return new Result(p.exitValue(), read(out), read(err));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
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

    @Override
    public void close() throws Exception {
        synchronized (processes) {
            for (Process p : processes) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            processes.clear();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
