package io.tokenhost.remote.config;

import static io.tokenhost.remote.config.RemoteConfig.TLS_CERT;
import static io.tokenhost.remote.config.RemoteConfig.WORKER_ID;

import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.remote.tls.CertificateNames;
import io.tokenhost.remote.wire.Frames;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The id a worker says hello with. The manager accepts a worker only under the subject CN of its
 * client certificate, so with TLS the id is that CN: {@code worker.id} may be left empty (then the
 * CN is taken), and a {@code worker.id} that differs from the CN is refused here, like any bad
 * value, instead of being refused by the manager at every connection. Without TLS ({@code
 * insecure=true}) there is no certificate: {@code worker.id}, or the host name.
 */
public final class WorkerIdentity {

    private static final String WHY = "the manager accepts a worker only under its certificate's CN";

    private WorkerIdentity() {
    }

    /** @throws ConfigurationRefusedException naming {@code worker.id} or {@code tls.cert} */
    public static String resolve(RemoteSettings settings) {
        if (settings.insecure()) {
            return settings.workerId().orElseGet(WorkerIdentity::hostName);
        }
        Optional<String> cn;
        try {
            cn = CertificateNames.commonName(settings.certFile());
        } catch (IOException e) {
            throw new ConfigurationRefusedException(TLS_CERT, "must be a PEM certificate (" + e.getMessage() + ")", null);
        }
        if (cn.isEmpty()) {
            throw new ConfigurationRefusedException(TLS_CERT, "must have exactly one subject CN (" + WHY + "); the"
                    + " certificate in " + settings.certFile() + " has none or several", null);
        }
        String name = cn.get();
        String shownName = ConfigurationRefusedException.shown(name);
        if (settings.workerId().isEmpty()) {
            if (!Frames.isWorkerId(name)) {
                throw new ConfigurationRefusedException(TLS_CERT, "must have a subject CN that can be a worker id ("
                        + Frames.WORKER_ID_RULE + "); the CN of " + settings.certFile() + " is '" + shownName + "'", null);
            }
            return name;
        }
        if (!settings.workerId().get().equals(name)) {
            throw new ConfigurationRefusedException(WORKER_ID, "must be the CN '" + shownName + "' of " + TLS_CERT + " "
                    + settings.certFile() + ", or empty to take it (" + WHY + ")", settings.workerId().get());
        }
        return name;
    }

    /** The host name with characters outside [A-Za-z0-9._-] replaced (the id of an insecure worker). */
    static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
            return Frames.isWorkerId(name) ? name : "worker";
        } catch (IOException e) {
            return "worker";
        }
    }
}
