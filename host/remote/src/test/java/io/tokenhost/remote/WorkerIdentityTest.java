package io.tokenhost.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.itests.support.DevCerts;
import io.tokenhost.remote.config.RemoteConfig;
import io.tokenhost.remote.config.RemoteSettings;
import io.tokenhost.remote.config.WorkerIdentity;
import io.tokenhost.remote.tls.CertificateNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's id against its own certificate (from the dev-CA script), checked with the configuration. */
class WorkerIdentityTest {

    /** The distribution's bin/tokenhost-dev-certs in this checkout. */
    private static final Path DEV_CERTS = DevCerts.scriptInSources(WorkerIdentityTest.class);

    @TempDir
    static Path tmp;
    static Path certs;

    @BeforeAll
    static void certificates() throws Exception {
        certs = DevCerts.cached(DEV_CERTS, tmp.resolve("tls"), "Test CA", "worker-1");
    }

    static RemoteSettings worker(Path certs, String... keyValues) {
        Map<String, Object> properties = new HashMap<>(Map.of("role", "worker", "manager.address", "localhost:7443",
                "tls.ca", certs.resolve("ca.crt").toString(), "tls.cert", certs.resolve("worker-1.crt").toString(),
                "tls.key", certs.resolve("worker-1.key").toString()));
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return RemoteSettings.from(ConfigValues.of(properties, RemoteConfig.class), certs);
    }

    @Test
    void withoutWorkerIdTheCertificatesCnIsTheId() {
        assertThat(WorkerIdentity.resolve(worker(certs))).isEqualTo("worker-1");
        assertThat(WorkerIdentity.resolve(worker(certs, "worker.id", " "))).isEqualTo("worker-1");
    }

    @Test
    void aWorkerIdEqualToTheCnIsAccepted() {
        assertThat(WorkerIdentity.resolve(worker(certs, "worker.id", "worker-1"))).isEqualTo("worker-1");
    }

    @Test
    void aWorkerIdOtherThanTheCnIsRefusedNamingTheKeyAndTheCn() {
        assertThatThrownBy(() -> WorkerIdentity.resolve(worker(certs, "worker.id", "worker-2")))
                .isInstanceOfSatisfying(ConfigurationRefusedException.class, e -> assertThat(e.key()).isEqualTo("worker.id"))
                .hasMessageStartingWith("worker.id: must be the CN 'worker-1' of tls.cert " + certs.resolve("worker-1.crt"))
                .hasMessageContaining("or empty to take it")
                .hasMessageEndingWith(", got 'worker-2'");
    }

    @Test
    void anUnreadableCertificateIsRefusedNamingTheKey() throws Exception {
        Path garbage = Files.writeString(tmp.resolve("garbage.crt"), "not a certificate");
        assertThatThrownBy(() -> WorkerIdentity.resolve(worker(certs, "tls.cert", garbage.toString())))
                .isInstanceOfSatisfying(ConfigurationRefusedException.class, e -> assertThat(e.key()).isEqualTo("tls.cert"))
                .hasMessageStartingWith("tls.cert: must be a PEM certificate (cannot read the certificate in " + garbage);
    }

    @Test
    void anInsecureWorkerHasItsConfiguredIdOrTheHostName() {
        assertThat(WorkerIdentity.resolve(worker(certs, "insecure", "true", "worker.id", "any"))).isEqualTo("any");
        assertThat(WorkerIdentity.resolve(worker(certs, "insecure", "true"))).matches("[A-Za-z0-9._-]+");
    }

    @Test
    void aSubjectWithNoCnOrTwoCnsHasNoName() {
        assertThat(CertificateNames.commonName(new X500Principal("CN=w1, O=Example"))).contains("w1");
        assertThat(CertificateNames.commonName(new X500Principal("O=Example"))).isEmpty();
        assertThat(CertificateNames.commonName(new X500Principal("CN=w1, CN=w2"))).isEmpty();
    }
}
