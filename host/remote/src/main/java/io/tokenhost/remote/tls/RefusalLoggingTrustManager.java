package io.tokenhost.remote.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import io.tokenhost.remote.logging.Refusals;
import java.util.Collection;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's trust in client certificates: PKIX against the configured CA only, and every
 * refused certificate logged (subject, issuer, reason; the peer address where the TLS engine
 * knows it, which Netty's server engines do not; counted, and logged through the remote bundle's
 * shared refusal budget, {@link Refusals#SHARED}), so that an operator sees who knocked. A client with no certificate at all
 * is refused by the TLS engine before this is asked; that case is not logged.
 */
final class RefusalLoggingTrustManager extends X509ExtendedTrustManager {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalLoggingTrustManager.class);
    static final int MAX_PER_MINUTE = Refusals.LINES_PER_MINUTE;

    private final X509ExtendedTrustManager delegate;
    private final Refusals refusals;

    RefusalLoggingTrustManager(X509ExtendedTrustManager delegate, Clock clock) {
        this(delegate, new Refusals(MAX_PER_MINUTE, clock));
    }

    RefusalLoggingTrustManager(X509ExtendedTrustManager delegate, Refusals refusals) {
        this.delegate = delegate;
        this.refusals = refusals;
    }

    /** Trusts exactly the certificates in the PEM file {@code ca}. */
    static RefusalLoggingTrustManager forCa(Path ca) throws IOException {
        try (InputStream in = Files.newInputStream(ca)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IOException("no certificate in " + ca);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x509) {
                    return new RefusalLoggingTrustManager(x509, Refusals.SHARED);
                }
            }
            throw new IOException("no X.509 trust manager for " + ca);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the CA certificates in " + ca + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            refused(chain, engine == null || engine.getPeerHost() == null ? null
                    : engine.getPeerHost() + ":" + engine.getPeerPort(), e);
            throw e;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            refused(chain, socket == null ? null : String.valueOf(socket.getRemoteSocketAddress()), e);
            throw e;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType);
        } catch (CertificateException e) {
            refused(chain, null, e);
            throw e;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
    }

    /**
     * None advertised: a client then presents its certificate whatever its issuer (instead of
     * silently sending none when it has no certificate from an advertised CA), so that a refusal
     * can be logged with the subject. Trust itself is decided by the PKIX delegate alone.
     */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    private void refused(X509Certificate[] chain, String peer, CertificateException e) {
        refusals.refused(Refusals.Kind.UNTRUSTED_CERTIFICATE, LOG, () -> message(chain, peer, e));
    }

    private static String message(X509Certificate[] chain, String peer, CertificateException e) {
        String subject = chain == null || chain.length == 0 ? "(none)" : chain[0].getSubjectX500Principal().getName();
        String issuer = chain == null || chain.length == 0 ? "(none)" : chain[0].getIssuerX500Principal().getName();
        String reason = String.valueOf(e.getMessage()).replaceAll("\\p{Cntrl}", " ");
        return "Refused a client certificate" + (peer == null ? "" : " from " + peer) + ": subject " + subject
                + ", issuer " + issuer + ": " + (reason.length() > 200 ? reason.substring(0, 200) + "…" : reason);
    }
}
