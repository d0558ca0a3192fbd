package io.tokenhost.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.itests.support.DevCerts;
import io.tokenhost.remote.config.PreparedRole;
import io.tokenhost.remote.config.RemoteConfig;
import io.tokenhost.remote.config.RemoteSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration becomes a role ready to start, or is refused naming the key at fault: TLS files
 * are read and the worker's id is bound here, before anything running is stopped.
 */
class PreparedRoleTest {

    /** The distribution's bin/tokenhost-dev-certs in this checkout. */
    private static final Path DEV_CERTS = DevCerts.scriptInSources(PreparedRoleTest.class);

    @TempDir
    static Path tmp;
    static Path certs;

    @BeforeAll
    static void certificates() throws Exception {
        certs = DevCerts.cached(DEV_CERTS, tmp.resolve("tls"), "Test CA", "manager", "worker-1");
    }

    private static PreparedRole prepare(String... keyValues) {
        Map<String, Object> properties = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return PreparedRole.prepare(RemoteSettings.from(ConfigValues.of(properties, RemoteConfig.class), tmp));
    }

    private static String[] tls(String node) {
        return new String[] {"tls.ca", certs.resolve("ca.crt").toString(), "tls.cert",
            certs.resolve(node + ".crt").toString(), "tls.key", certs.resolve(node + ".key").toString()};
    }

    private static String[] with(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    void standaloneNeedsNoFiles() {
        assertThat(prepare()).isInstanceOf(PreparedRole.Standalone.class);
    }

    @Test
    void aManagerWithTlsBindsWorkerIdsToCertificates() {
        PreparedRole role = prepare(with(tls("manager"), "role", "manager", "listen.host", "127.0.0.1", "listen.port", "0"));
        assertThat(role).isInstanceOfSatisfying(PreparedRole.Manager.class, manager -> {
            assertThat(manager.listen().tls()).isPresent();
            assertThat(manager.listen().workerIdMustBeCertificateCn()).isTrue();
            assertThat(manager.listen().listen().getPort()).isZero();
        });
    }

    @Test
    void anInsecureManagerReadsNoFiles() {
        PreparedRole role = prepare("role", "manager", "insecure", "true");
        assertThat(role).isInstanceOfSatisfying(PreparedRole.Manager.class,
                manager -> assertThat(manager.listen().tls()).isEmpty());
    }

    @Test
    void aWorkerTakesItsCertificatesCnAndItsReconnectTiming() {
        PreparedRole role = prepare(with(tls("worker-1"), "role", "worker", "manager.address", "mgr.example:7443",
                "reconnect.backoff", "2s", "reconnect.backoff.max", "1m", "reconnect.jitter", "0.25", "keepalive", "45s"));
        assertThat(role).isInstanceOfSatisfying(PreparedRole.Worker.class, worker -> {
            assertThat(worker.connection().workerId()).isEqualTo("worker-1");
            assertThat(worker.connection().address()).isEqualTo("mgr.example:7443");
            assertThat(worker.connection().tls()).isPresent();
            assertThat(worker.connection().keepAlive()).isEqualTo(Duration.ofSeconds(45));
            assertThat(worker.connection().sharedEventLoops()).as("a host's own transport").isEmpty();
            assertThat(worker.connection().connectionEventsLogged()).isTrue();
            assertThat(worker.backoff()).isEqualTo(Duration.ofSeconds(2));
            assertThat(worker.backoffMax()).isEqualTo(Duration.ofMinutes(1));
            assertThat(worker.jitter()).isEqualTo(0.25);
        });
    }

    @Test
    void aMissingTlsFileIsRefusedNamingItsKey() {
        assertRefused(() -> prepare("role", "manager"), "tls.ca", "tls.ca: must be a readable file (TLS file "
                + tmp.resolve("conf/tls/ca.crt") + " does not exist or is not readable)");
        assertRefused(() -> prepare(with(tls("manager"), "role", "manager", "tls.cert", "missing.crt")), "tls.cert",
                "tls.cert: must be a readable file (TLS file " + tmp.resolve("missing.crt"));
    }

    @Test
    void aPrivateKeyOthersCanReadIsRefused() throws Exception {
        Path open = Files.copy(certs.resolve("manager.key"), tmp.resolve("open.key"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertRefused(() -> prepare(with(tls("manager"), "role", "manager", "tls.key", open.toString())), "tls.key",
                "tls.key: must be readable by its owner only (private key " + open + " is readable by others");
    }

    @Test
    void aCertificateThatIsNoCertificateIsRefused() throws Exception {
        Path garbage = Files.writeString(tmp.resolve("garbage.crt"), "not a certificate");
        assertRefused(() -> prepare(with(tls("manager"), "role", "manager", "tls.cert", garbage.toString())), "tls.cert",
                "tls.cert: must hold PEM certificates (");
    }

    @Test
    void aWorkerIdThatIsNotTheCertificatesCnIsRefused() {
        assertRefused(() -> prepare(with(tls("worker-1"), "role", "worker", "manager.address", "localhost:7443",
                "worker.id", "worker-2")), "worker.id", "worker.id: must be the CN 'worker-1' of tls.cert");
    }

    @Test
    void aListenHostThatDoesNotResolveIsRefused() {
        assertRefused(() -> prepare("role", "manager", "insecure", "true", "listen.host", "no-such-host.invalid"),
                "listen.host", "listen.host: must be an address or a host name that resolves, got 'no-such-host.invalid'");
    }

    private static void assertRefused(ThrowingCallable preparing, String key, String messageStart) {
        assertThatThrownBy(preparing)
                .isInstanceOfSatisfying(ConfigurationRefusedException.class, e -> assertThat(e.key()).isEqualTo(key))
                .hasMessageStartingWith(messageStart);
    }
}
