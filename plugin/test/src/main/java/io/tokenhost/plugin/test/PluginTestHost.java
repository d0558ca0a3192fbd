package io.tokenhost.plugin.test;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import io.tokenhost.itests.support.SecretForms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Tokenhost host for a plugin's tests: the distribution unpacked into a fresh folder and run as
 * its own process ({@code bin/tokenhost --headless}), exactly as operators run it.
 *
 * <pre>{@code
 * try (PluginTestHost host = PluginTestHost.unpack("my-plugin")) {
 *     host.writeConfig("com.example.provider", Map.of("token.lifetime", "1h"));
 *     host.dropPlugin(PluginTestHost.builtPlugin());
 *     host.start();
 *     String fingerprint = host.awaitTokens("my-service");
 *     host.awaitDelivered("my-service", fingerprint);
 *     host.assertNoSecretsInLogs("my-password");
 * }
 * }</pre>
 *
 * The distribution comes from system property {@value #TARBALL} and the plugin's jar from
 * {@value #PLUGIN_JAR}; tokenhost-plugin-parent sets both for failsafe ({@code *IT} tests).
 * {@link #close()} stops the host (SIGTERM, then a kill after 20 s).
 */
public final class PluginTestHost implements AutoCloseable {

    /** The distribution tarball ({@code tokenhost-distribution-<version>.tar.gz}). */
    public static final String TARBALL = "tokenhost.dist.tarball";
    /** The jar the plugin's build produced. */
    public static final String PLUGIN_JAR = "tokenhost.plugin.jar";
    /** How long the waits here take at most unless told otherwise. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    private final Installation installation;
    private Duration wait = DEFAULT_WAIT;

    private PluginTestHost(Installation installation) {
        this.installation = installation;
    }

    /**
     * Unpacks a fresh copy of the distribution into {@code tokenhost.it.dir}/{@code name} (default
     * {@code target/it/name}), deleting what an earlier run left there.
     */
    public static PluginTestHost unpack(String name) throws IOException, InterruptedException {
        String tarball = System.getProperty(TARBALL);
        if (tarball == null || !Files.isRegularFile(Path.of(tarball))) {
            throw new IllegalStateException("no distribution tarball: set system property " + TARBALL
                    + " (tokenhost-plugin-parent does, for *IT tests run by failsafe), got " + tarball);
        }
        return new PluginTestHost(Installation.unpack(name));
    }

    /** The jar this build produced (system property {@value #PLUGIN_JAR}). */
    public static Path builtPlugin() {
        String jar = System.getProperty(PLUGIN_JAR);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no plugin jar: set system property " + PLUGIN_JAR
                    + " (tokenhost-plugin-parent does; run the test as an *IT after package), got " + jar);
        }
        return Path.of(jar);
    }

    /** The unpacked installation and its processes, for what this class does not offer. */
    public Installation installation() {
        return installation;
    }

    /** The installation's folder ({@code bin/}, {@code conf/}, {@code plugins/}, {@code log/}). */
    public Path home() {
        return installation.home;
    }

    /** Waits here take at most this long from now on. */
    public PluginTestHost waitAtMost(Duration timeout) {
        this.wait = timeout;
        return this;
    }

    /** Writes {@code conf/<pid>.cfg} atomically; before or after {@link #start()} (applied live). */
    public Path writeConfig(String pid, Map<String, String> entries) throws IOException {
        return installation.writeConfig(pid, entries);
    }

    /** Copies a jar into {@code plugins/} under its own file name (as {@code .part}, then renamed). */
    public void dropPlugin(Path jar) throws IOException {
        installation.dropPlugin(jar, jar.getFileName().toString());
    }

    /** Removes a jar from {@code plugins/}: its bundle is uninstalled. */
    public void removePlugin(String fileName) throws IOException {
        Files.delete(installation.plugins().resolve(fileName));
    }

    /** Starts the host and waits until its console answers. */
    public PluginTestHost start() throws IOException, InterruptedException {
        installation.startHeadless();
        installation.awaitReady();
        return this;
    }

    /**
     * Runs one shell command ({@code token:status}, {@code token:plugins --check}, ...) and returns
     * its output; throws {@link AssertionError} with the error output if it failed.
     */
    public String command(String... words) throws IOException, InterruptedException {
        Installation.Result result = installation.client(words);
        if (result.status() != 0) {
            throw new AssertionError(String.join(" ", words) + " exited " + result.status() + ": "
                    + result.stdout() + result.stderr());
        }
        return result.stdout();
    }

    /** Runs one shell command and returns its exit status and output, failed or not. */
    public Installation.Result run(String... words) throws IOException, InterruptedException {
        return installation.client(words);
    }

    /**
     * Waits until {@code token:status} shows {@code service} VALID and returns its tokens'
     * fingerprint (a 12-hex-digit SHA-256 prefix, never the tokens). On time-out the failure
     * shows {@code token:status} and {@code token:plugins}, which say why.
     */
    public String awaitTokens(String service) throws IOException, InterruptedException {
        try {
            Map<String, String> row = Await.atMost(wait).value("service '" + service + "' VALID in token:status",
                    () -> ShellTable.parse(command("token:status"), "SERVICE", "STATE", "LAST OBTAIN", "VALID UNTIL",
                            "NEXT OBTAIN", "FAILURES", "TOKENS", "LAST ERROR").row("SERVICE", service)
                            .filter(r -> "VALID".equals(r.get("STATE"))));
            return row.get("TOKENS").split(" ")[0];
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + diagnostics(), e);
        }
    }

    /**
     * Waits until a receiver of {@code service} shows, in {@code token:receivers}, that it accepted
     * the tokens with this fingerprint.
     */
    public void awaitDelivered(String service, String fingerprint) throws IOException, InterruptedException {
        try {
            Await.atMost(wait).until("a receiver of '" + service + "' with tokens " + fingerprint,
                    () -> ShellTable.parse(command("token:receivers"), "SERVICE", "BUNDLE", "VERSION", "LAST DELIVERY",
                            "FINGERPRINT", "FAILURES", "LAST ERROR").rows().stream()
                            .anyMatch(r -> service.equals(r.get("SERVICE")) && fingerprint.equals(r.get("FINGERPRINT"))));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + command("token:receivers") + "\n" + diagnostics(), e);
        }
    }

    /** Fails unless {@code token:plugins --check} passes: every plugin serving, no warning. */
    public void assertPluginsHealthy() throws IOException, InterruptedException {
        Installation.Result result = installation.client("token:plugins", "--check");
        if (result.status() != 0) {
            throw new AssertionError("token:plugins --check exited " + result.status() + ":\n" + result.stdout()
                    + result.stderr());
        }
    }

    /**
     * Fails if any file under {@code log/}, or the host's console output, holds one of the secrets in
     * any form {@link SecretForms} knows: raw, hex (either case), base64 (standard or URL-safe, also
     * inside a longer encoded run). Secrets shorter than 4 bytes are not looked for (they would
     * match by chance); the failure names the file, which secret and the form, never the secret itself.
     */
    public void assertNoSecretsInLogs(String... secrets) throws IOException {
        byte[][] bytes = new byte[secrets.length][];
        for (int i = 0; i < secrets.length; i++) {
            bytes[i] = secrets[i].getBytes(StandardCharsets.UTF_8);
        }
        assertAbsentFromLogs("secret", bytes);
    }

    /** As {@link #assertNoSecretsInLogs(String...)}, for token bytes. */
    public void assertNoSecretsInLogs(byte[]... tokens) throws IOException {
        assertAbsentFromLogs("token", tokens);
    }

    private void assertAbsentFromLogs(String kind, byte[][] secrets) throws IOException {
        List<Path> files = new ArrayList<>();
        Path logs = installation.home.resolve("log");
        if (Files.isDirectory(logs)) {
            try (Stream<Path> walk = Files.walk(logs)) {
                walk.filter(Files::isRegularFile).forEach(files::add);
            }
        }
        files.add(installation.hostOutput());
        for (Path file : files) {
            if (!Files.exists(file)) {
                continue;
            }
            byte[] content = Files.readAllBytes(file);
            for (int i = 0; i < secrets.length; i++) {
                if (secrets[i].length >= 4) {
                    SecretForms.assertAbsent(file + " (" + kind + " #" + i + ")", content, secrets[i]);
                }
            }
        }
    }

    private String diagnostics() {
        StringBuilder out = new StringBuilder();
        for (String command : new String[] {"token:status", "token:plugins"}) {
            try {
                Installation.Result result = installation.client(command);
                out.append(command).append(":\n").append(result.stdout()).append(result.stderr());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (IOException | RuntimeException e) {
                out.append(command).append(": ").append(e).append('\n');
            }
        }
        return out.toString();
    }

    /** Stops the host. */
    @Override
    public void close() throws InterruptedException {
        installation.close();
    }
}
