package io.tokenhost.remote.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What configuration PID {@value RemoteConfig#PID} asks for. Paths are absolute (relative ones were
 * resolved against the installation home). {@code workerId} is null when {@code worker.id} is not
 * set: {@link WorkerIdentity} then takes the certificate's CN.
 */
public record RemoteSettings(
        Role role,
        String listenHost,
        int listenPort,
        String managerHost,
        int managerPort,
        String workerId,
        Path caFile,
        Path certFile,
        Path keyFile,
        boolean insecure,
        Duration backoff,
        Duration backoffMax,
        double jitter,
        Duration keepAlive) {

    public enum Role {
        STANDALONE, MANAGER, WORKER
    }

    public String managerAddress() {
        return managerHost + ":" + managerPort;
    }
}
