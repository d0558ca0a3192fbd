package io.tokenhost.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An {@link SSLContext} from the PEM files the remote bundle uses too: a certificate chain, its
 * PKCS#8 private key (RSA or EC, as {@code bin/tokenhost-dev-certs} makes them) and optionally the
 * CA that client certificates must come from. The JDK reads the certificates; the key is the one
 * base64 block between its PEM markers. Errors name the file, never its content.
 */
final class PemTls {

    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final char[] NO_PASSWORD = new char[0];

    private PemTls() {
    }

    /** @throws TlsFileException naming the configuration key of the file that is unusable */
    static SSLContext context(MetricsSettings.Tls tls) throws TlsFileException {
        List<Certificate> chain = certificates(tls.cert(), MetricsConfig.TLS_CERT);
        PrivateKey key = privateKey(tls.key());
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("endpoint", key, NO_PASSWORD, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, NO_PASSWORD);
            TrustManagerFactory tmf = null;
            if (tls.ca().isPresent()) {
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                int i = 0;
                for (Certificate ca : certificates(tls.ca().get(), MetricsConfig.TLS_CA)) {
                    trusted.setCertificateEntry("ca" + i++, ca);
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trusted);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsFileException(MetricsConfig.TLS_KEY, "the key in " + tls.key() + " does not go with the"
                    + " certificate in " + tls.cert() + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static List<Certificate> certificates(Path file, String key) throws TlsFileException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> read = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (read.isEmpty()) {
                throw new TlsFileException(key, file + " holds no PEM certificate");
            }
            return List.copyOf(read);
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsFileException(key, file + " is not a readable PEM certificate file ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static PrivateKey privateKey(Path file) throws TlsFileException {
        byte[] der;
        try {
            Matcher m = PRIVATE_KEY.matcher(Files.readString(file, StandardCharsets.US_ASCII));
            if (!m.find()) {
                throw new TlsFileException(MetricsConfig.TLS_KEY, file + " holds no PEM PKCS#8 private key"
                        + " (-----BEGIN PRIVATE KEY-----)");
            }
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IOException | IllegalArgumentException e) {
            throw new TlsFileException(MetricsConfig.TLS_KEY, file + " is not a readable PEM private key file");
        }
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new TlsFileException(MetricsConfig.TLS_KEY, file + " holds a private key of no supported kind"
                + " (RSA, EC, Ed25519)");
    }

    /** Whether only the owner may read the file (true where POSIX permissions do not exist). */
    static boolean ownerOnly(Path file) {
        try {
            return Files.getPosixFilePermissions(file).stream()
                    .noneMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"));
        } catch (UnsupportedOperationException | IOException e) {
            return !(e instanceof IOException);
        }
    }

    /** A TLS file that cannot be used, with the configuration key naming it. */
    static final class TlsFileException extends Exception {
        private static final long serialVersionUID = 1L;
        final String key;

        TlsFileException(String key, String message) {
            super(message);
            this.key = key;
        }
    }
}
