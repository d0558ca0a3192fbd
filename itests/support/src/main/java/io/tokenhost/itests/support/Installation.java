package io.tokenhost.itests.support;

import io.tokenhost.host.common.ConsoleLocation;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One copy of the assembled distribution (unpacked from its tarball, or copied from its folder)
 * and the processes started from it: the host ({@code bin/tokenhost}, a real Felix in its own JVM)
 * and console clients. Every process is tracked; {@link #close()} stops them all. Used by the
 * process-level tests, the sandbox and the benchmark.
 */
public final class Installation implements AutoCloseable {

    /** How long {@link #awaitReady()} waits for the host to answer. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    /** What a finished {@code bin/tokenhost client} left. */
    public record Result(int status, String stdout, String stderr) {

        /** The output of a command that succeeded; a failed one throws with its error output. */
        public String stdoutIfOk() {
            if (status != 0) {
                throw new IllegalStateException("exit status " + status + ": " + stderr.strip());
            }
            return stdout;
        }
    }

    /** The folder holding the installation; tests keep their own files here, next to {@link #home}. */
    public final Path dir;
    /** The installation itself: {@code bin/}, {@code conf/}, {@code plugins/}, {@code log/}. */
    public final Path home;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> javaOpts = new ArrayList<>(HOST_JAVA_OPTS);
    private String consoleDirectory;
    private Process host;

    /**
     * JVM options every host started here gets first ({@code JAVA_OPTS}), from the system property
     * {@value #HOST_JAVA_OPTS_PROPERTY} (whitespace-separated; none by default). The process tests set
     * {@code -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}: their hosts live seconds, and four of them
     * starting at once on two cores were ready in 6.5-8 s instead of 11-20 s.
     */
    public static final String HOST_JAVA_OPTS_PROPERTY = "tokenhost.it.host-java-opts";
    private static final List<String> HOST_JAVA_OPTS = List.of(System.getProperty(HOST_JAVA_OPTS_PROPERTY, "").trim()
            .split("\\s+")).stream().filter(option -> !option.isEmpty()).toList();

    private Installation(Path dir, Path home) {
        this.dir = dir;
        this.home = home;
    }

    /**
     * Unpacks a fresh copy under {@code tokenhost.it.dir}/{name} (default {@code target/it}) from
     * {@code tokenhost.dist.tarball}.
     */
    public static Installation unpack(String name) throws IOException, InterruptedException {
        Path tarball = Path.of(System.getProperty("tokenhost.dist.tarball", "target/dist/tokenhost-distribution.tar.gz"));
        Path dir = Path.of(System.getProperty("tokenhost.it.dir", "target/it")).toAbsolutePath().resolve(name);
        return unpack(tarball, dir);
    }

    /**
     * Unpacks the tarball into {@code dir}, deleted first; its metrics endpoint listens on any free port.
     * The tarball is unpacked once per JVM and folder ({@link #pristine}); every installation is a
     * {@code cp -a} of that untouched copy (modes, times and links as tar left them), which takes a
     * tenth of a second where gunzip and untar take 2-5 s on a busy 2-core machine.
     */
    public static Installation unpack(Path tarball, Path dir) throws IOException, InterruptedException {
        deleteRecursively(dir);
        Files.createDirectories(dir.getParent());
        Path pristine = pristine(tarball.toAbsolutePath(), dir.toAbsolutePath().getParent());
        run(new ProcessBuilder("cp", "-a", pristine.toString(), dir.toString()), "could not copy " + pristine + " to " + dir);
        Path home;
        try (Stream<Path> entries = Files.list(dir)) {
            home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        // any free port for the metrics endpoint: hosts of one test (or of builds side by side) must not
        // collide on the default 9464, which shows as a refused configuration in token:status
        Files.writeString(home.resolve("conf/io.tokenhost.metrics.cfg"), "port=0\n", StandardCharsets.UTF_8);
        return new Installation(dir, home);
    }

    /** Tarball and folder of its installations → that tarball unpacked there once by this JVM, never started. */
    private static final Map<String, Path> PRISTINE = new ConcurrentHashMap<>();

    /**
     * The tarball unpacked into {@code parent/.pristine-<tarball name>}, fresh once per JVM (an older
     * copy, of an earlier build, is deleted first); installations are copies of it, and no host ever
     * runs in it.
     */
    private static Path pristine(Path tarball, Path parent) throws IOException {
        Path target = parent.resolve(".pristine-" + tarball.getFileName());
        try {
            return PRISTINE.computeIfAbsent(tarball + "|" + target, key -> {
                try {
                    deleteRecursively(target);
                    Files.createDirectories(target);
                    run(new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", target.toString()),
                            "could not unpack " + tarball + " into " + target);
                    return target;
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    private static void run(ProcessBuilder command, String failure) throws IOException, InterruptedException {
        Process p = command.inheritIO().start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(failure);
        }
    }

    /** Copies an assembled distribution folder into a new temporary folder. */
    public static Installation copyOf(Path distribution) throws IOException {
        if (!Files.isExecutable(distribution.resolve("bin/tokenhost"))) {
            throw new IllegalArgumentException(distribution + " is not an assembled distribution (no bin/tokenhost);"
                    + " build it with ./mvnw -B -q package -DskipTests -pl distribution -am");
        }
        Path dir = Files.createTempDirectory("tokenhost-");
        Path home = dir.resolve(distribution.getFileName().toString());
        try (Stream<Path> files = Files.walk(distribution)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = home.resolve(distribution.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return new Installation(dir, home);
    }

    public Path bin() {
        return home.resolve("bin/tokenhost");
    }

    public Path plugins() {
        return home.resolve("plugins");
    }

    /** Where the host serves its console (outside the installation: see {@link ConsoleLocation}). */
    public Path socket() throws IOException {
        return ConsoleLocation.socketFor(home, consoleDirectory);
    }

    /**
     * Host and client use {@code directory} for the console socket instead of the default
     * ({@code -D}{@value ConsoleLocation#DIR_PROPERTY} in both their {@code JAVA_OPTS}).
     */
    public void consoleDirectory(Path directory) {
        consoleDirectory = directory.toString();
        javaOpts.removeIf(option -> option.startsWith("-D" + ConsoleLocation.DIR_PROPERTY + "="));
        javaOpt("-D" + ConsoleLocation.DIR_PROPERTY + "=" + consoleDirectory);
    }

    public Path log() {
        return home.resolve("log/tokenhost.log");
    }

    /** Where the host's stdout and stderr go (each start overwrites it). */
    public Path hostOutput() {
        return dir.resolve("host.out");
    }

    /** Writes {@code conf/<pid>.cfg}, atomically (FileInstall may be watching); returns the file. */
    public Path writeConfig(String pid, Map<String, String> entries) throws IOException {
        StringBuilder text = new StringBuilder();
        entries.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Path target = home.resolve("conf").resolve(pid + ".cfg");
        Path part = home.resolve("conf").resolve(pid + ".cfg.part");
        Files.writeString(part, text, StandardCharsets.UTF_8);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /** Copies a jar into {@code plugins/} as {@code <name>.part}, then renames it, so FileInstall sees it whole. */
    public void dropPlugin(Path jar, String name) throws IOException {
        Path part = plugins().resolve(name + ".part");
        Files.copy(jar, part, StandardCopyOption.REPLACE_EXISTING);
        Files.move(part, plugins().resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Adds a JVM option for the host started next ({@code JAVA_OPTS}). */
    public void javaOpt(String option) {
        javaOpts.add(option);
    }

    /** Starts {@code bin/tokenhost --headless}; stdout and stderr go to {@link #hostOutput()}. */
    public Process startHeadless() throws IOException {
        return startHeadless(Map.of());
    }

    /** As {@link #startHeadless()}, with extra environment variables for the host process. */
    public Process startHeadless(Map<String, String> environment) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(bin().toString(), "--headless")
                .redirectErrorStream(true).redirectOutput(hostOutput().toFile());
        hostEnvironment(pb).putAll(environment);
        host = track(pb.start());
        return host;
    }

    /** Starts {@code bin/tokenhost} with its Gogo shell on this terminal. */
    public Process startInteractive() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(bin().toString()).inheritIO();
        hostEnvironment(pb);
        host = track(pb.start());
        return host;
    }

    /** The host's environment: this JVM's Java, the options given here, nothing of a Hadoop client's. */
    private Map<String, String> hostEnvironment(ProcessBuilder pb) {
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("JAVA_OPTS", String.join(" ", javaOpts));
        env.remove("HADOOP_TOKEN_FILE_LOCATION");
        env.remove("HADOOP_CONF_DIR");
        return env;
    }

    /** The process of the last start. */
    public Process host() {
        return host;
    }

    /** Polls {@code client lb} until it succeeds, at most {@link #READY_TIMEOUT}; returns how long that took. */
    public Duration awaitReady() throws InterruptedException {
        return awaitReady(READY_TIMEOUT);
    }

    public Duration awaitReady(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        Await.atMost(timeout).every(Duration.ofMillis(50)).until("the host to answer 'client lb'", () -> {
            if (host != null && !host.isAlive()) {
                throw new AssertionError("host exited with " + host.exitValue() + ": " + read(hostOutput()));
            }
            return client("lb");
        }, result -> result.status() == 0);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Runs one Gogo command in the running host, e.g. {@code token:status}. */
    public Result client(String... words) throws IOException, InterruptedException {
        return run(List.of(), words);
    }

    /** Runs the client under another identity, e.g. {@code setpriv --reuid=65534 ...}. */
    public Result clientAs(List<String> prefix, String... words) throws IOException, InterruptedException {
        return run(prefix, words);
    }

    private Result run(List<String> prefix, String... words) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.add(bin().toString());
        command.add("client");
        command.addAll(List.of(words));
        Path out = Files.createTempFile(dir, "client", ".out");
        Path err = Files.createTempFile(dir, "client", ".err");
        out.toFile().setReadable(true, false);
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("JAVA_OPTS"); // the host's options are not the client's
        if (consoleDirectory != null) {
            pb.environment().put("JAVA_OPTS", "-D" + ConsoleLocation.DIR_PROPERTY + "=" + consoleDirectory);
        }
        Process p = track(pb.start());
        try {
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                return new Result(-1, read(out), "client " + List.of(words) + " did not finish within " + COMMAND_TIMEOUT);
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

    /**
     * Stops every process started here: SIGTERM, and a kill for any still running 20 s later. With
     * {@value #RELEASE_COPIES_PROPERTY}{@code =true} (the build's integration tests) it then deletes the
     * installation's copies of the build's jars and the Felix cache ({@link #releaseCopies()}).
     */
    @Override
    public void close() throws InterruptedException {
        synchronized (processes) {
            processes.forEach(Process::destroy);
            long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
            for (Process p : processes) {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            processes.clear();
        }
        if (Boolean.getBoolean(RELEASE_COPIES_PROPERTY)) {
            releaseCopies();
        }
    }

    /** Set by the build's failsafe runs: a stopped installation gives back the disk its jar copies took. */
    public static final String RELEASE_COPIES_PROPERTY = "tokenhost.it.release-copies";

    /**
     * Deletes what a stopped installation only copied from the build: the jars under {@code bundle/},
     * {@code opt/}, {@code lib/} and {@code plugins/}, and the Felix cache (a copy of every installed
     * bundle). About 130 MB each; a full verify makes over a hundred installations, which filled a
     * CI disk. Kept for reading after a failure: {@code conf/}, {@code log/}, the rest of
     * {@code data/}, {@code host.out} and every file the test wrote.
     */
    private void releaseCopies() {
        try {
            for (String copied : List.of("bundle", "opt", "lib", "data/felix-cache")) {
                deleteRecursively(home.resolve(copied));
            }
            if (Files.isDirectory(plugins())) {
                try (Stream<Path> jars = Files.list(plugins())) {
                    for (Path jar : jars.filter(p -> p.getFileName().toString().endsWith(".jar")).toList()) {
                        Files.deleteIfExists(jar);
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("could not delete the copied jars of " + home + ": " + e);
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
