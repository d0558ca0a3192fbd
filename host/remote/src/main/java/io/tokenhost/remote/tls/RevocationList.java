package io.tokenhost.remote.tls;

import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.remote.wire.Frames;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.security.auth.x500.X500Principal;

/**
 * The workers a manager refuses: certificates listed in the CRLs of {@code tls.crl} (each CRL
 * verified against a CA of {@code tls.ca}) and worker ids listed in {@code revocation.deny-list}.
 * Immutable; {@link #load} refuses a file that cannot be trusted naming its key, so that the list in
 * force is only ever replaced by one that was read completely.
 *
 * @param crls the verified CRLs
 * @param deniedIds worker ids refused whatever their certificate
 */
public record RevocationList(List<X509CRL> crls, Set<String> deniedIds) {

    public static final String CRL_KEY = "tls.crl";
    public static final String DENY_LIST_KEY = "revocation.deny-list";
    public static final RevocationList NONE = new RevocationList(List.of(), Set.of());

    public RevocationList {
        crls = List.copyOf(crls);
        deniedIds = Set.copyOf(deniedIds);
    }

    /**
     * @param cas the CA certificates in force: every CRL must be issued and signed by one of them
     * @throws ConfigurationRefusedException naming {@code tls.crl} or {@code revocation.deny-list}
     */
    public static RevocationList load(Optional<Path> crlFile, Optional<Path> denyList, X509Certificate[] cas) {
        List<X509CRL> crls = new ArrayList<>();
        if (crlFile.isPresent()) {
            crls.addAll(crls(crlFile.get(), cas));
        }
        Set<String> denied = new TreeSet<>();
        if (denyList.isPresent()) {
            denied.addAll(deniedIds(denyList.get()));
        }
        return new RevocationList(crls, denied);
    }

    /**
     * Why a worker is refused, if it is: its certificate's serial is in a CRL of its issuer, or its
     * id is denied. @param certificate null without TLS
     */
    public Optional<String> reason(X509Certificate certificate, String workerId) {
        if (workerId != null && deniedIds.contains(workerId)) {
            return Optional.of("worker id '" + workerId + "' is in " + DENY_LIST_KEY);
        }
        if (certificate != null) {
            for (X509CRL crl : crls) {
                if (crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())) {
                    X509CRLEntry entry = crl.getRevokedCertificate(certificate.getSerialNumber());
                    if (entry != null) {
                        return Optional.of("certificate serial " + serial(certificate.getSerialNumber())
                                + " is revoked by the CRL of " + crl.getIssuerX500Principal().getName()
                                + " (" + CRL_KEY + ", revoked " + entry.getRevocationDate().toInstant() + ")");
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** CRLs whose next update has passed (still used: an old CRL revokes at least what it lists). */
    public List<X500Principal> stale(Instant now) {
        return crls.stream().filter(c -> c.getNextUpdate() != null && c.getNextUpdate().toInstant().isBefore(now))
                .map(X509CRL::getIssuerX500Principal).toList();
    }

    /** How many certificates and ids are refused, for the log. */
    public String describe() {
        int serials = crls.stream().mapToInt(c -> c.getRevokedCertificates() == null ? 0 : c.getRevokedCertificates().size())
                .sum();
        return serials + " revoked certificate(s) in " + crls.size() + " CRL(s), " + deniedIds.size() + " denied worker id(s)";
    }

    private static List<X509CRL> crls(Path file, X509Certificate[] cas) {
        Collection<? extends CRL> parsed;
        try (InputStream in = Files.newInputStream(file)) {
            parsed = CertificateFactory.getInstance("X.509").generateCRLs(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationRefusedException(CRL_KEY, "must hold PEM certificate revocation lists (" + file + ": "
                    + e.getClass().getSimpleName() + " " + String.valueOf(e.getMessage()).replaceAll("\\p{Cntrl}", " ")
                    + ")", null);
        }
        if (parsed.isEmpty()) {
            throw new ConfigurationRefusedException(CRL_KEY, "must hold PEM certificate revocation lists (none in " + file
                    + ")", null);
        }
        List<X509CRL> verified = new ArrayList<>();
        for (CRL one : parsed) {
            X509CRL crl = (X509CRL) one;
            X509Certificate issuer = null;
            for (X509Certificate ca : cas) {
                if (ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                    issuer = ca;
                }
            }
            if (issuer == null) {
                throw new ConfigurationRefusedException(CRL_KEY, "must be issued by a CA of tls.ca (" + file
                        + " holds a CRL of " + crl.getIssuerX500Principal().getName() + ")", null);
            }
            try {
                crl.verify(issuer.getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new ConfigurationRefusedException(CRL_KEY, "must be signed by its CA in tls.ca (the signature of the"
                        + " CRL of " + crl.getIssuerX500Principal().getName() + " in " + file + " does not verify)", null);
            }
            verified.add(crl);
        }
        return verified;
    }

    private static Set<String> deniedIds(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationRefusedException(DENY_LIST_KEY, "must be a readable UTF-8 file (" + file + ": "
                    + e.getClass().getSimpleName() + ")", null);
        }
        Set<String> ids = new TreeSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String id = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (id.isEmpty()) {
                continue;
            }
            if (!Frames.isWorkerId(id)) {
                throw new ConfigurationRefusedException(DENY_LIST_KEY, "must list worker ids (" + Frames.WORKER_ID_RULE
                        + "), one a line: line " + (i + 1) + " of " + file + " is not one", null);
            }
            ids.add(id);
        }
        return ids;
    }

    private static String serial(BigInteger serial) {
        return serial.toString(16).toUpperCase(java.util.Locale.ROOT);
    }
}
