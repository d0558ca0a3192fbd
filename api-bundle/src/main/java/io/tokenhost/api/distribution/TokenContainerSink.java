package io.tokenhost.api.distribution;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Applies a token container obtained elsewhere (e.g. pushed by a remote manager) to this host. The
 * host registers it as an OSGi service.
 *
 * @since 1.1
 */
@ProviderType
public interface TokenContainerSink {

    /**
     * Replaces the host's current tokens with {@code container}: every service whose tokens changed
     * is delivered to its local receivers, every service no longer in it is withdrawn from them,
     * unchanged services are left alone. The host's container version becomes the container's.
     * Delivery to receivers is asynchronous; this returns once the container is in force.
     */
    void accept(TokenContainer container);
}
