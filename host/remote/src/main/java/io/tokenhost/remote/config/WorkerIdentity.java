package io.tokenhost.remote.config;

import io.tokenhost.remote.tls.CertificateNames;
import io.tokenhost.remote.wire.Frames;
import java.io.IOException;
import java.util.Optional;

/**
 * The id a worker says hello with. The manager accepts a worker only under the subject CN of its
 * client certificate, so with TLS the id is that CN: {@code worker.id} may be left empty (then the
 * CN is taken), and a {@code worker.id} that differs from the CN is refused here, at start, instead
 * of being refused by the manager at every connection. Without TLS ({@code insecure=true}) there
 * is no certificate: {@code worker.id}, or the host name.
 */
public final class WorkerIdentity {

    private WorkerIdentity() {
    }

    public static String resolve(RemoteSettings settings) throws RemoteConfigException {
        if (settings.insecure()) {
            return settings.workerId() != null ? settings.workerId() : RemoteConfig.hostNameWorkerId();
        }
        Optional<String> cn;
        try {
            cn = CertificateNames.commonName(settings.certFile());
        } catch (IOException e) {
            throw new RemoteConfigException(RemoteConfig.TLS_CERT + ": " + e.getMessage());
        }
        if (cn.isEmpty()) {
            throw new RemoteConfigException(RemoteConfig.TLS_CERT + ": the certificate in " + settings.certFile()
                    + " has no single subject CN; the manager accepts a worker only under its certificate's CN");
        }
        String name = cn.get();
        if (settings.workerId() == null) {
            try {
                return Frames.checkWorkerId(name);
            } catch (IllegalArgumentException e) {
                throw new RemoteConfigException(RemoteConfig.TLS_CERT + ": the CN '" + name.replaceAll("\\p{Cntrl}", "?")
                        + "' of " + settings.certFile() + " cannot be a worker id (" + e.getMessage() + ")");
            }
        }
        if (!settings.workerId().equals(name)) {
            throw new RemoteConfigException(RemoteConfig.WORKER_ID + ": '" + settings.workerId()
                    + "' is not the CN '" + name.replaceAll("\\p{Cntrl}", "?") + "' of " + RemoteConfig.TLS_CERT + " "
                    + settings.certFile() + "; the manager accepts a worker only under its certificate's CN"
                    + " (set worker.id to the CN, or leave it empty)");
        }
        return name;
    }
}
