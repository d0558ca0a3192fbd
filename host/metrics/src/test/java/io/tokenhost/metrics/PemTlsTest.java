package io.tokenhost.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.itests.support.DevCerts;
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
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from the PEM files bin/tokenhost-dev-certs makes (the tests' one way to make certificates); unusable files name their key. */
class PemTlsTest {

    @TempDir
    Path dir;

    @Test
    void servesHttpsWithThePemFilesAndRefusesUnusableOnes() throws Exception {
        Path certs = DevCerts.create(DevCerts.scriptInSources(PemTlsTest.class), dir.resolve("certs"),
                "Tokenhost metrics test CA", "node");
        Path cert = certs.resolve("node.crt");
        Path key = certs.resolve("node.key");
        SSLContext server = PemTls.context(new MetricsSettings.Tls(cert, key, Optional.empty()));
        HostViews views = new HostViews();
        HostMetrics metrics = new HostMetrics(views, PluginCounts.NONE, Clock.systemUTC());
        try (Endpoint endpoint = Endpoint.start("127.0.0.1", 0, server, false, metrics, views, Clock.systemUTC())) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            try (InputStream in = Files.newInputStream(certs.resolve("ca.crt"))) {
                trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
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
