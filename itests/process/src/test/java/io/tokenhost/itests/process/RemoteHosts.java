package io.tokenhost.itests.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.DevCertificates;
import io.tokenhost.itests.support.Installation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;

/**
 * What the manager/worker process tests share: development certificates from the distribution's
 * own script, the remote configuration of a manager or a worker, the example plugins, and shell
 * commands that must succeed.
 */
final class RemoteHosts {

    static final Path PLUGIN_JARS = Path.of(System.getProperty("tokenhost.plugin.jars", "target/plugin-jars"));

    private RemoteHosts() {
    }

    /** Development certificates: a CA named {@code caName} and one certificate per name ({@link DevCertificates}). */
    static void certificates(Installation installation, Path dir, String caName, String... names) throws Exception {
        DevCertificates.create(installation, dir, caName, names);
    }

    /** The tls.* keys for node {@code name} with certificates in {@code dir}, as {@code .cfg} lines. */
    static String tlsKeys(Path dir, String name) {
        StringBuilder lines = new StringBuilder();
        DevCertificates.tlsKeys(dir, name).forEach((key, value) -> lines.append(key).append('=').append(value).append('\n'));
        return lines.toString();
    }

    /** Writes {@code conf/io.tokenhost.remote.cfg}. */
    static void configure(Installation installation, String remoteConfig) throws IOException {
        Files.writeString(installation.home.resolve("conf/io.tokenhost.remote.cfg"), remoteConfig);
    }

    /** A manager on 127.0.0.1:{@code port} with the example provider in plugins/. */
    static void exampleManager(Installation manager, int port, Path tls) throws IOException {
        configure(manager, "role=manager\nlisten.host=127.0.0.1\nlisten.port=" + port + "\n" + tlsKeys(tls, "manager"));
        Files.copy(PLUGIN_JARS.resolve("tokenhost-examples-provider.jar"), manager.home.resolve("plugins/example-provider.jar"));
    }

    /** A worker of the manager at localhost:{@code port} whose example receiver writes {@link #tokenFile}. */
    static void exampleWorker(Installation worker, String id, int port, Path tls) throws IOException {
        configure(worker, "role=worker\nmanager.address=localhost:" + port + "\nworker.id=" + id + "\n"
                + "reconnect.backoff=100ms\nreconnect.backoff.max=1s\n" + tlsKeys(tls, id));
        Files.writeString(worker.home.resolve("conf/io.tokenhost.example.receiver.cfg"),
                "service.name=example\nfile=" + tokenFile(worker) + "\n");
        Files.copy(PLUGIN_JARS.resolve("tokenhost-examples-receiver.jar"), worker.home.resolve("plugins/example-receiver.jar"));
    }

    /** Where a worker's example receiver writes its tokens. */
    static Path tokenFile(Installation worker) {
        return worker.home.resolve("data/tokens/example.token");
    }

    /** The file's bytes, or null if it does not exist (or was being replaced). */
    static byte[] read(Path file) {
        try {
            return Files.exists(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            return null; // replaced meanwhile
        }
    }

    /**
     * Waits until every worker's token file holds the same tokens, and not {@code previous} (null: any);
     * returns them.
     */
    static byte[] awaitSameTokens(Collection<Installation> workers, byte[] previous, String what, Await await)
            throws InterruptedException {
        byte[][] result = new byte[1][];
        await.until(what, () -> {
            byte[] common = null;
            for (Installation worker : workers) {
                byte[] tokens = read(tokenFile(worker));
                if (tokens == null || (previous != null && Arrays.equals(tokens, previous))
                        || (common != null && !Arrays.equals(common, tokens))) {
                    return false;
                }
                common = tokens;
            }
            result[0] = common;
            return true;
        });
        return result[0];
    }

    static void start(Installation installation) {
        try {
            installation.startHeadless();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static int freePort() throws IOException {
        return DevCertificates.freePort();
    }

    /** Runs a shell command that must succeed; its output. */
    static String ok(Installation installation, String... command) throws Exception {
        Installation.Result result = installation.client(command);
        assertThat(result.status()).as(String.join(" ", command) + ": " + result.stderr()).isZero();
        return result.stdout();
    }
}
