package io.tokenhost.remote.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The subject common name (CN) of a certificate: the name a worker's id is bound to. A subject
 * with no CN, or with more than one, has none (ambiguous names bind to nothing).
 */
public final class CertificateNames {

    private CertificateNames() {
    }

    public static Optional<String> commonName(X509Certificate certificate) {
        return commonName(certificate.getSubjectX500Principal());
    }

    public static Optional<String> commonName(X500Principal subject) {
        try {
            List<String> names = new LdapName(subject.getName(X500Principal.RFC2253)).getRdns().stream()
                    .filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
                    .map(Rdn::getValue)
                    .map(String::valueOf)
                    .toList();
            return names.size() == 1 ? Optional.of(names.get(0)) : Optional.empty();
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }

    /** The CN of the first certificate in a PEM file (this node's own certificate). */
    public static Optional<String> commonName(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            Certificate first = CertificateFactory.getInstance("X.509").generateCertificate(in);
            return first instanceof X509Certificate x509 ? commonName(x509) : Optional.empty();
        } catch (CertificateException e) {
            throw new IOException("cannot read the certificate in " + pem + ": " + e.getMessage(), e);
        }
    }
}
