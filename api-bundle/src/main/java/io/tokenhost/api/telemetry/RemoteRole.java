package io.tokenhost.api.telemetry;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The remote role this host runs, registered by the remote bundle while a manager or worker role
 * runs (none: standalone). Also registered as {@link ManagerTelemetry} or {@link WorkerTelemetry}.
 *
 * @since 1.0
 */
@ProviderType
public interface RemoteRole {

    /** {@code manager} or {@code worker}; with high availability, {@code leader} or {@code standby}. */
    String role();

    /**
     * True while this host is a manager on standby behind another leader: {@code /ready} then answers
     * 429, as Vault's standby does, so a load balancer sends nothing to it.
     */
    default boolean standby() {
        return false;
    }
}
