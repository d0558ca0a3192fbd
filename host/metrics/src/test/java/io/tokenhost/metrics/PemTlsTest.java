package io.tokenhost.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from PEM files made by openssl, as bin/tokenhost-dev-certs makes them; unusable files name their key. */
class PemTlsTest {

    @TempDir
    Path dir;

    private void openssl(String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("openssl"));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
    }

    @Test
    void servesHttpsWithThePemFilesAndRefusesUnusableOnes() throws Exception {
        Path cert = dir.resolve("node.crt");
        Path key = dir.resolve("node.key");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1");
        SSLContext server = PemTls.context(new MetricsSettings.Tls(cert, key, Optional.empty()));
        HostViews views = new HostViews();
        HostMetrics metrics = new HostMetrics(views, PluginCounts.NONE, Clock.systemUTC());
        try (Endpoint endpoint = Endpoint.start("127.0.0.1", 0, server, false, metrics, views, Clock.systemUTC())) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            try (InputStream in = Files.newInputStream(cert)) {
                trusted.setCertificateEntry("node", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
            HttpResponse<String> live = HttpClient.newBuilder().sslContext(client).build().send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + endpoint.port() + "/live")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(live.statusCode()).isEqualTo(200);
        }

        Path notPem = Files.writeString(dir.resolve("bad.crt"), "not a certificate");
        assertThatThrownBy(() -> PemTls.context(new MetricsSettings.Tls(notPem, key, Optional.empty())))
                .isInstanceOfSatisfying(PemTls.TlsFileException.class, e -> assertThat(e.key).isEqualTo("tls.cert"))
                .hasMessageContaining("bad.crt");
        assertThatThrownBy(() -> PemTls.context(new MetricsSettings.Tls(cert, cert, Optional.empty())))
                .isInstanceOfSatisfying(PemTls.TlsFileException.class, e -> assertThat(e.key).isEqualTo("tls.key"))
                .hasMessageContaining("no PEM PKCS#8 private key").hasMessageNotContaining("BEGIN CERTIFICATE-----\n");
    }
}
