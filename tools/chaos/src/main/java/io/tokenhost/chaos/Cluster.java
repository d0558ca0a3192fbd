package io.tokenhost.chaos;

import io.tokenhost.itests.support.Installation;
import io.tokenhost.itests.support.TcpRelay;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The manager and the workers as real processes, each its own unpacked distribution, over mutual
 * TLS with certificates from the distribution's {@code bin/tokenhost-dev-certs}; the last worker
 * reaches the manager through a {@link TcpRelay} that can be cut. The manager runs the chaos
 * provider from {@code plugins/}; every worker runs the example receiver from the distribution's
 * {@code opt/}, writing its tokens to {@code <worker dir>/chaos.token}.
 */
final class Cluster implements AutoCloseable {

    static final String SERVICE = "chaos";
    private static final String PROVIDER_FILE = "chaos-provider.jar";
    private static final Duration READY = Duration.ofMinutes(2);

    private final SoakOptions options;
    private final Installation manager;
    private final List<Installation> workers;
    private final TcpRelay relay;
    private final Path outageMarker;
    private final List<Path> archivedOutputs = new ArrayList<>();
    private int updates;

    /** Stops the hosts if this JVM is ended (Ctrl-C) before {@link #close()}: they must not outlive the soak. */
    private final Thread stopHostsOnExit = new Thread(this::stopHosts, "chaos-stop-hosts");

    private Cluster(SoakOptions options, Installation manager, List<Installation> workers, TcpRelay relay) {
        this.options = options;
        this.manager = manager;
        this.workers = workers;
        this.relay = relay;
        this.outageMarker = options.dir().resolve("outage");
        Runtime.getRuntime().addShutdownHook(stopHostsOnExit);
    }

    /** Unpacks and configures every installation; starts nothing but the relay. */
    static Cluster create(SoakOptions options) throws Exception {
        deleteRecursively(options.dir());
        Files.createDirectories(options.dir());
        Installation manager = Installation.unpack(options.tarball(), options.dir().resolve("manager"));
        List<String> names = new ArrayList<>(List.of("manager"));
        for (int i = 1; i <= options.workers(); i++) {
            names.add("w" + i);
        }
        Path tls = options.dir().resolve("tls");
        devCerts(manager, tls, names);
        int port = freePort();
        TcpRelay relay = new TcpRelay(port);
        relay.start();

        manager.javaOpt(options.hostJvmOptions());
        manager.writeConfig("io.tokenhost.remote", ordered("role", "manager", "listen.host", "127.0.0.1",
                "listen.port", String.valueOf(port), "tls.ca", tls.resolve("ca.crt").toString(),
                "tls.cert", tls.resolve("manager.crt").toString(), "tls.key", tls.resolve("manager.key").toString()));
        manager.writeConfig("io.tokenhost.manager", ordered("obtain.timeout", options.obtainTimeout().toMillis() + "ms",
                "renewal.time-ratio", String.valueOf(options.renewalRatio())));
        manager.writeConfig("io.tokenhost.fixture.chaos", ordered("service.name", SERVICE,
                "token.lifetime", options.tokenLifetime().toMillis() + "ms",
                "failure.ratio", String.valueOf(options.failureRatio()), "hang.ratio", String.valueOf(options.hangRatio()),
                "hang.duration", options.hangDuration().toMillis() + "ms",
                "outage.marker", options.dir().resolve("outage").toString(),
                "obtain.log", manager.dir.resolve("obtains.log").toString()));
        manager.dropPlugin(options.providerJar(), PROVIDER_FILE);

        List<Installation> workers = new ArrayList<>();
        for (int i = 1; i <= options.workers(); i++) {
            String id = "w" + i;
            Installation worker = Installation.unpack(options.tarball(), options.dir().resolve(id));
            worker.javaOpt(options.hostJvmOptions());
            int managerPort = i == options.workers() ? relay.port() : port;
            worker.writeConfig("io.tokenhost.remote", ordered("role", "worker", "manager.address", "localhost:" + managerPort,
                    "reconnect.backoff.max", options.reconnectBackoffMax().toMillis() + "ms",
                    "tls.ca", tls.resolve("ca.crt").toString(), "tls.cert", tls.resolve(id + ".crt").toString(),
                    "tls.key", tls.resolve(id + ".key").toString()));
            worker.writeConfig("io.tokenhost.example.receiver", ordered("service.name", SERVICE,
                    "file", worker.dir.resolve("chaos.token").toString()));
            worker.dropPlugin(receiverJar(worker), "example-receiver.jar");
            workers.add(worker);
        }
        return new Cluster(options, manager, workers, relay);
    }

    /** Starts every host and waits until each answers its console. */
    void start() throws Exception {
        manager.startHeadless();
        for (Installation worker : workers) {
            worker.startHeadless();
        }
        manager.awaitReady(READY);
        for (Installation worker : workers) {
            worker.awaitReady(READY);
        }
    }

    List<Path> tokenFiles() {
        return workers.stream().map(w -> w.dir.resolve("chaos.token")).toList();
    }

    Path obtainLog() {
        return manager.dir.resolve("obtains.log");
    }

    /** The worker that reaches the manager through the relay (0-based). */
    int relayedWorker() {
        return workers.size() - 1;
    }

    // ---- faults

    void killManager() throws Exception {
        kill(manager);
    }

    /** @return when the restarted manager answered its console, or 0 if it did not within 2 minutes */
    long restartManager() throws Exception {
        return restart(manager);
    }

    void killWorker(int worker) throws Exception {
        kill(workers.get(worker));
    }

    long restartWorker(int worker) throws Exception {
        return restart(workers.get(worker));
    }

    void cut() throws InterruptedException {
        relay.stop();
    }

    void reconnect() throws IOException {
        relay.start();
    }

    void outage(boolean down) throws IOException {
        if (down) {
            Files.writeString(outageMarker, "down\n");
        } else {
            Files.deleteIfExists(outageMarker);
        }
    }

    /**
     * Replaces the provider's jar in {@code plugins/} with the same bundle under a new
     * Bundle-Version, as a release would: FileInstall updates the bundle. Returns that version.
     */
    String updateProvider() throws IOException {
        updates++;
        Path updated = options.dir().resolve("plugin-updates/chaos-provider-" + updates + ".jar");
        Files.createDirectories(updated.getParent());
        String version;
        try (JarFile in = new JarFile(options.providerJar().toFile())) {
            Manifest manifest = new Manifest(in.getManifest());
            String base = manifest.getMainAttributes().getValue("Bundle-Version").replaceAll("^(\\d+\\.\\d+\\.\\d+).*", "$1");
            version = base + ".chaos-update-" + updates;
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            try (OutputStream file = Files.newOutputStream(updated); JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (Enumeration<JarEntry> entries = in.entries(); entries.hasMoreElements();) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().equals(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.getInputStream(entry).transferTo(out);
                    out.closeEntry();
                }
            }
        }
        manager.dropPlugin(updated, PROVIDER_FILE);
        return version;
    }

    // ---- processes

    static void kill(Installation installation) throws Exception {
        Process host = installation.host();
        host.destroyForcibly(); // SIGKILL: bin/tokenhost exec's the JVM, so this is the host itself
        if (!host.waitFor(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("a killed host did not exit within 20 s");
        }
    }

    private long restart(Installation installation) throws Exception {
        Path earlier = installation.dir.resolve("host.out." + (archivedOutputs.size() + 1));
        if (Files.exists(installation.hostOutput())) {
            Files.copy(installation.hostOutput(), earlier, StandardCopyOption.REPLACE_EXISTING);
            archivedOutputs.add(earlier);
        }
        installation.startHeadless();
        try {
            installation.awaitReady(READY);
            return System.currentTimeMillis();
        } catch (AssertionError e) {
            return 0;
        }
    }

    /**
     * Looks for token bytes in every log and host output: any nonce the checker saw (in hex), and
     * a token's text, hex or base64 form. Returns one finding per file that holds any, naming only
     * the file and the form.
     */
    List<String> tokenBytesInLogs(Set<String> nonces) throws IOException {
        List<Path> files = new ArrayList<>(archivedOutputs);
        for (Installation installation : all()) {
            files.add(installation.hostOutput());
            Path logs = installation.home.resolve("log");
            if (Files.isDirectory(logs)) {
                try (Stream<Path> list = Files.list(logs)) {
                    list.filter(Files::isRegularFile).forEach(files::add);
                }
            }
        }
        files.add(obtainLog());
        Pattern hex = Pattern.compile("[0-9a-fA-F]{32}");
        Map<String, String> forms = Map.of("chaos-token ", "token text", "6368616f732d746f6b656e", "token in hex",
                "Y2hhb3MtdG9rZW4g", "token in base64", "nonce=", "token text");
        List<String> findings = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            Set<String> found = new TreeSet<>();
            forms.forEach((needle, form) -> {
                if (text.contains(needle)) {
                    found.add(form);
                }
            });
            Matcher m = hex.matcher(text);
            while (m.find()) {
                if (nonces.contains(m.group().toLowerCase())) {
                    found.add("a nonce");
                }
            }
            if (!found.isEmpty()) {
                findings.add(options.dir().relativize(file) + ": " + String.join(", ", found));
            }
        }
        return findings;
    }

    private List<Installation> all() {
        List<Installation> all = new ArrayList<>(workers);
        all.add(0, manager);
        return all;
    }

    /** Stops every host (SIGTERM) and the relay. */
    @Override
    public void close() throws Exception {
        stopHosts();
        relay.close();
        try {
            Runtime.getRuntime().removeShutdownHook(stopHostsOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or ran
        }
    }

    private void stopHosts() {
        for (Installation installation : all()) {
            Process host = installation.host();
            if (host != null) {
                host.destroy(); // SIGTERM to all first: they stop side by side
            }
        }
        for (Installation installation : all()) {
            try {
                installation.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- set-up helpers

    static Path receiverJar(Installation installation) throws IOException {
        try (Stream<Path> opt = Files.list(installation.home.resolve("opt"))) {
            return opt.filter(p -> p.getFileName().toString().startsWith("tokenhost-examples-receiver-")
                    && p.getFileName().toString().endsWith(".jar")).findFirst()
                    .orElseThrow(() -> new IOException("no opt/tokenhost-examples-receiver-*.jar in " + installation.home));
        }
    }

    static void devCerts(Installation installation, Path dir, List<String> names) throws Exception {
        io.tokenhost.itests.support.DevCerts.create(installation.home.resolve("bin/tokenhost-dev-certs"), dir,
                "Tokenhost chaos soak CA", names.toArray(String[]::new));
    }

    static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
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
