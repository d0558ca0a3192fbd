package io.tokenhost.remote.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The manager logs who knocked with a refused certificate: ten a minute, then the next line says how many were left out. */
class RefusalLoggingTrustManagerTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-28T12:00:00Z"));
    private final ch.qos.logback.classic.Logger logger =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(RefusalLoggingTrustManager.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(logs);
    }

    /** A delegate that refuses every client. */
    private static final X509ExtendedTrustManager REFUSING = new X509ExtendedTrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("unknown issuer\nforged line");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("unknown issuer\nforged line");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("unknown issuer\nforged line");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    };

    /**
     * Kills: logging every refusal (no budget), dropping the "(N more not logged)" suffix, and a
     * refusal that is no longer rethrown after logging.
     */
    @Test
    void everyRefusalIsRethrownTenAreLoggedAMinuteAndTheNextLineCountsTheRest() {
        RefusalLoggingTrustManager trust = new RefusalLoggingTrustManager(REFUSING, clock);
        for (int i = 0; i < 14; i++) {
            assertThatThrownBy(() -> trust.checkClientTrusted(null, "EC", (SSLEngine) null))
                    .isInstanceOf(CertificateException.class);
        }
        assertThat(logs.list).hasSize(10).allSatisfy(e -> assertThat(e.getFormattedMessage())
                .isEqualTo("Refused a client certificate: subject (none), issuer (none): unknown issuer forged line"));

        now.set(now.get().plus(Duration.ofMinutes(1)));
        assertThatThrownBy(() -> trust.checkClientTrusted(null, "EC")).isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> trust.checkClientTrusted(null, "EC", (Socket) null)).isInstanceOf(CertificateException.class);

        assertThat(logs.list).hasSize(12);
        assertThat(logs.list.get(10).getFormattedMessage()).endsWith("unknown issuer forged line (4 more not logged)");
        assertThat(logs.list.get(11).getFormattedMessage()).endsWith("unknown issuer forged line");
    }
}
