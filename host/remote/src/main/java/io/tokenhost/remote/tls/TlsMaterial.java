package io.tokenhost.remote.tls;

import io.grpc.util.CertificateUtils;
import io.tokenhost.api.ConfigurationRefusedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * What one node's TLS files hold, read and checked: its certificate chain, its private key (which
 * must match the chain's first certificate) and the CA certificates it trusts. {@link #load}
 * refuses a file that cannot be used naming its key ({@code tls.ca}, {@code tls.cert}, {@code
 * tls.key}), so that a node never switches to material it could not use.
 */
public record TlsMaterial(X509Certificate[] chain, PrivateKey key, X509Certificate[] cas) {

    public static final String CA = "tls.ca";
    public static final String CERT = "tls.cert";
    public static final String KEY = "tls.key";

    /** @throws ConfigurationRefusedException naming the key of the file that cannot be used, and why */
    public static TlsMaterial load(Path ca, Path cert, Path key) {
        readable(CA, ca);
        readable(CERT, cert);
        readable(KEY, key);
        try {
            TlsContexts.ownerOnly(key);
        } catch (IOException e) {
            throw new ConfigurationRefusedException(KEY, "must be readable by its owner only (" + e.getMessage() + ")", null);
        }
        X509Certificate[] cas = certificates(CA, ca);
        X509Certificate[] chain = certificates(CERT, cert);
        PrivateKey privateKey;
        try (InputStream in = Files.newInputStream(key)) {
            privateKey = CertificateUtils.getPrivateKey(in);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new ConfigurationRefusedException(KEY, "must be a PEM PKCS#8 private key (" + key + ": "
                    + e.getClass().getSimpleName() + ")", null);
        }
        if (!matches(privateKey, chain[0])) {
            throw new ConfigurationRefusedException(KEY, "must be the private key of the certificate in " + CERT + " ("
                    + key + " does not match " + chain[0].getSubjectX500Principal().getName() + " in " + cert + ")", null);
        }
        return new TlsMaterial(chain, privateKey, cas);
    }

    /** Whether this differs from {@code other} in any certificate or the key. */
    public boolean differsFrom(TlsMaterial other) {
        return other == null || !Arrays.equals(chain, other.chain) || !Arrays.equals(cas, other.cas)
                || !Arrays.equals(key.getEncoded(), other.key.getEncoded());
    }

    private static void readable(String name, Path file) {
        try {
            TlsContexts.readable(file);
        } catch (IOException e) {
            throw new ConfigurationRefusedException(name, "must be a readable file (" + e.getMessage() + ")", null);
        }
    }

    private static X509Certificate[] certificates(String name, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            X509Certificate[] certificates = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
            if (certificates.length == 0) {
                throw new ConfigurationRefusedException(name, "must hold PEM certificates (none in " + file + ")", null);
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationRefusedException(name, "must hold PEM certificates (" + file + ": "
                    + e.getClass().getSimpleName() + ")", null);
        }
    }

    /** Signs random bytes with the key and verifies them with the certificate's public key. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        if (algorithm == null) {
            return true; // an algorithm this cannot test: the TLS handshake will tell
        }
        if (!certificate.getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
