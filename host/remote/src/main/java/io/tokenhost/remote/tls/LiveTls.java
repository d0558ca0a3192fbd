package io.tokenhost.remote.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.remote.wire.TransportLogging;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's TLS, read from its PEM files and replaceable while it runs: one Netty {@link
 * SslContext} whose key manager ({@link RotatingKeyManager}) and trust manager ({@link
 * ReloadableTrustManager}) take new material at {@link #reload}. New handshakes use what is in
 * force; established connections keep theirs. On a manager it also holds the {@link
 * RevocationList} in force, which its trust manager applies to every client certificate.
 *
 * <p>A reload reads every file again; material that cannot be used (a file that does not parse, a
 * key that does not match its certificate, a worker certificate with another CN, a CRL not signed by
 * the CA) is refused with one ERROR naming the key and the problem, and what is in force stays.
 */
public final class LiveTls {

    private static final Logger LOG = LoggerFactory.getLogger(LiveTls.class);

    private final Path ca;
    private final Path cert;
    private final Path key;
    private final Optional<Path> crl;
    private final Optional<Path> denyList;
    private final boolean server;
    private final RotatingKeyManager keys;
    private final ReloadableTrustManager trust;
    private final SslContext context;
    private volatile TlsMaterial material;
    private volatile RevocationList revocations = RevocationList.NONE;
    private volatile Consumer<RevocationList> revocationListener = r -> { };
    private String reportedMaterialProblem;
    private String reportedRevocationProblem;

    private LiveTls(Path ca, Path cert, Path key, Optional<Path> crl, Optional<Path> denyList, boolean server) {
        TransportLogging.quiet();
        this.ca = ca;
        this.cert = cert;
        this.key = key;
        this.crl = crl;
        this.denyList = denyList;
        this.server = server;
        this.material = TlsMaterial.load(ca, cert, key);
        if (server) {
            this.revocations = RevocationList.load(crl, denyList, material.cas());
        }
        this.keys = new RotatingKeyManager(material);
        try {
            this.trust = new ReloadableTrustManager(material.cas());
            this.context = server
                    ? GrpcSslContexts.configure(SslContextBuilder.forServer(keys))
                            .trustManager(RefusalLoggingTrustManager.logging(new RevokingTrustManager(trust, this::revocations)))
                            .clientAuth(ClientAuth.REQUIRE)
                            .build()
                    : GrpcSslContexts.forClient().keyManager(keys).trustManager(trust).build();
        } catch (GeneralSecurityException | SSLException | IllegalArgumentException e) {
            throw new ConfigurationRefusedException(TlsMaterial.CERT, "must make a TLS context with " + TlsMaterial.KEY
                    + " and " + TlsMaterial.CA + " (" + e.getClass().getSimpleName() + ")", null);
        }
    }

    /**
     * A manager's TLS: requires a client certificate issued by the CA and not revoked.
     *
     * @throws ConfigurationRefusedException naming the key of a file that cannot be used
     */
    public static LiveTls server(Path ca, Path cert, Path key, Optional<Path> crl, Optional<Path> denyList) {
        return new LiveTls(ca, cert, key, crl, denyList, true);
    }

    /** A worker's TLS: presents its certificate and trusts only the CA for the manager (and its host name). */
    public static LiveTls client(Path ca, Path cert, Path key) {
        return new LiveTls(ca, cert, key, Optional.empty(), Optional.empty(), false);
    }

    public SslContext context() {
        return context;
    }

    /** The files a reload reads: watch them. */
    public List<Path> files() {
        List<Path> files = new ArrayList<>(List.of(ca, cert, key));
        crl.ifPresent(files::add);
        denyList.ifPresent(files::add);
        return files;
    }

    /** The revocation list in force (a manager's; none on a worker). */
    public RevocationList revocations() {
        return revocations;
    }

    /** Told every new revocation list put in force (the manager closes the streams it revokes). */
    public void onRevocations(Consumer<RevocationList> listener) {
        this.revocationListener = Objects.requireNonNull(listener);
    }

    /** The certificate this node presents now. */
    public X509Certificate certificate() {
        return material.chain()[0];
    }

    /** Reads the files again and puts what changed in force; what cannot be used is refused with an ERROR. */
    public synchronized void reload() {
        reloadMaterial();
        if (server) {
            reloadRevocations();
        }
    }

    private void reloadMaterial() {
        TlsMaterial loaded;
        try {
            loaded = TlsMaterial.load(ca, cert, key);
            Optional<String> was = CertificateNames.commonName(material.chain()[0]);
            Optional<String> now = CertificateNames.commonName(loaded.chain()[0]);
            if (!server && !was.equals(now)) {
                throw new ConfigurationRefusedException(TlsMaterial.CERT, "must keep the CN '" + was.orElse("")
                        + "' (this worker's id) when replaced; " + cert + " names '" + now.orElse("") + "' (a new id needs"
                        + " a configuration change)", null);
            }
        } catch (ConfigurationRefusedException e) {
            if (!e.getMessage().equals(reportedMaterialProblem)) {
                reportedMaterialProblem = e.getMessage();
                LOG.error("TLS files not reloaded: {}; the certificate, key and CA in force stay", e.getMessage());
            }
            return;
        }
        reportedMaterialProblem = null;
        if (!loaded.differsFrom(material)) {
            return;
        }
        boolean caChanged = !Arrays.equals(loaded.cas(), material.cas());
        try {
            if (caChanged) {
                trust.update(loaded.cas());
            }
        } catch (GeneralSecurityException e) {
            LOG.error("TLS files not reloaded: {}: cannot trust the certificates in {} ({}); what is in force stays",
                    TlsMaterial.CA, ca, e.getClass().getSimpleName());
            return;
        }
        keys.update(loaded);
        material = loaded;
        X509Certificate mine = loaded.chain()[0];
        LOG.info("TLS files reloaded: new connections present {} (serial {}, valid until {}){}", mine.getSubjectX500Principal()
                .getName(), mine.getSerialNumber().toString(16), mine.getNotAfter().toInstant(), caChanged
                ? " and trust the CA(s) " + Arrays.stream(loaded.cas()).map(c -> c.getSubjectX500Principal().getName())
                        .collect(Collectors.joining("; ")) : "");
        if (server) {
            reloadRevocations(); // CRLs are verified against the CA in force
        }
    }

    private void reloadRevocations() {
        RevocationList loaded;
        try {
            loaded = RevocationList.load(crl, denyList, material.cas());
        } catch (ConfigurationRefusedException e) {
            if (!e.getMessage().equals(reportedRevocationProblem)) {
                reportedRevocationProblem = e.getMessage();
                LOG.error("Revocation not reloaded: {}; the revocation list in force stays ({})", e.getMessage(),
                        revocations.describe());
            }
            return;
        }
        reportedRevocationProblem = null;
        if (loaded.equals(revocations)) {
            return;
        }
        revocations = loaded;
        LOG.info("Revocation reloaded: {}", loaded.describe());
        loaded.stale(Instant.now()).forEach(issuer -> LOG.warn("The CRL of {} in {} is past its next update: still used;"
                + " publish a new one", issuer.getName(), RevocationList.CRL_KEY));
        revocationListener.accept(loaded);
    }
}
