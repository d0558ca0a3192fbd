package io.tokenhost.remote.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.itests.support.DevCerts;
import io.tokenhost.remote.Crls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CRLs from real {@code openssl ca -gencrl}, deny lists and TLS files as they are checked before use. */
class RevocationAndMaterialTest {

    private static final Path DEV_CERTS = DevCerts.scriptInSources(RevocationAndMaterialTest.class);

    @TempDir
    static Path tmp;
    static Path ca;
    static Path impostor;
    static Path other;
    static TlsMaterial material;

    @BeforeAll
    static void certificates() throws Exception {
        ca = DevCerts.create(DEV_CERTS, tmp.resolve("ca"), "Test CA", "manager", "w1", "w2");
        impostor = DevCerts.create(DEV_CERTS, tmp.resolve("impostor"), "Test CA", "x"); // same name, another key
        other = DevCerts.create(DEV_CERTS, tmp.resolve("other"), "Other CA", "y");
        material = TlsMaterial.load(ca.resolve("ca.crt"), ca.resolve("manager.crt"), ca.resolve("manager.key"));
    }

    private static java.security.cert.X509Certificate cert(String name) throws Exception {
        return TlsMaterial.load(ca.resolve("ca.crt"), ca.resolve(name + ".crt"), ca.resolve(name + ".key")).chain()[0];
    }

    @Test
    void aCrlOfTheCaRevokesExactlyItsCertificates() throws Exception {
        Path empty = Crls.generate(ca, tmp.resolve("empty.pem"));
        assertThat(RevocationList.load(Optional.of(empty), Optional.empty(), material.cas()).reason(cert("w2"), "w2"))
                .isEmpty();
        Crls.revoke(ca, "w2");
        Path crl = Crls.generate(ca, tmp.resolve("crl.pem"));
        RevocationList list = RevocationList.load(Optional.of(crl), Optional.empty(), material.cas());
        String serial = cert("w2").getSerialNumber().toString(16).toUpperCase();
        assertThat(list.reason(cert("w2"), "w2")).hasValueSatisfying(r -> assertThat(r)
                .startsWith("certificate serial " + serial)
                .contains("revoked by the CRL of CN=Test CA (tls.crl"));
        assertThat(list.reason(cert("w1"), "w1")).isEmpty();
        assertThat(list.describe()).startsWith("1 revoked certificate(s) in 1 CRL(s), 0 denied");
    }

    @Test
    void aCrlThatDoesNotParseOrIsNotTheCasIsRefusedNamingTheKey() throws Exception {
        Path garbage = Files.writeString(tmp.resolve("garbage.pem"), "-----BEGIN X509 CRL-----\nnot base64\n-----END X509 CRL-----\n");
        assertThatThrownBy(() -> RevocationList.load(Optional.of(garbage), Optional.empty(), material.cas()))
                .isInstanceOf(ConfigurationRefusedException.class).hasMessageStartingWith("tls.crl: must hold PEM certificate revocation lists");
        Path none = Files.writeString(tmp.resolve("none.pem"), "");
        assertThatThrownBy(() -> RevocationList.load(Optional.of(none), Optional.empty(), material.cas()))
                .hasMessageStartingWith("tls.crl: must hold PEM certificate revocation lists (none in");
        Path ofOther = Crls.generate(other, tmp.resolve("other-crl.pem"));
        assertThatThrownBy(() -> RevocationList.load(Optional.of(ofOther), Optional.empty(), material.cas()))
                .hasMessageStartingWith("tls.crl: must be issued by a CA of tls.ca").hasMessageContaining("CN=Other CA");
        Path forged = Crls.generate(impostor, tmp.resolve("forged-crl.pem")); // same issuer name, another key
        assertThatThrownBy(() -> RevocationList.load(Optional.of(forged), Optional.empty(), material.cas()))
                .hasMessageStartingWith("tls.crl: must be signed by its CA in tls.ca").hasMessageContaining("does not verify");
    }

    @Test
    void aDenyListNamesWorkerIdsAndABadLineIsRefusedNamingTheKeyAndTheLine() throws Exception {
        Path deny = Files.writeString(tmp.resolve("deny"), "# stolen laptop\nw1   # since Tuesday\n\n");
        RevocationList list = RevocationList.load(Optional.empty(), Optional.of(deny), material.cas());
        assertThat(list.reason(cert("w1"), "w1")).hasValue("worker id 'w1' is in revocation.deny-list");
        assertThat(list.reason(null, "w1")).as("also without TLS").isPresent();
        assertThat(list.reason(cert("w2"), "w2")).isEmpty();
        Path bad = Files.writeString(tmp.resolve("bad-deny"), "w1\nw 2\n");
        assertThatThrownBy(() -> RevocationList.load(Optional.empty(), Optional.of(bad), material.cas()))
                .isInstanceOf(ConfigurationRefusedException.class)
                .hasMessageStartingWith("revocation.deny-list: must list worker ids").hasMessageContaining("line 2 of");
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateIsRefusedNamingTheKey() throws Exception {
        Path notAKey = Files.copy(ca.resolve("w1.crt"), tmp.resolve("not-a.key"));
        Files.setPosixFilePermissions(notAKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> TlsMaterial.load(ca.resolve("ca.crt"), ca.resolve("manager.crt"), ca.resolve("w1.key")))
                .isInstanceOf(ConfigurationRefusedException.class)
                .hasMessageStartingWith("tls.key: must be the private key of the certificate in tls.cert")
                .hasMessageContaining("does not match CN=manager");
        assertThatThrownBy(() -> TlsMaterial.load(ca.resolve("ca.crt"), ca.resolve("manager.crt"), notAKey))
                .hasMessageStartingWith("tls.key: must be a PEM PKCS#8 private key");
        assertThatThrownBy(() -> TlsMaterial.load(ca.resolve("manager.key"), ca.resolve("manager.crt"), ca.resolve("manager.key")))
                .hasMessageStartingWith("tls.ca: must hold PEM certificates");
    }
}
