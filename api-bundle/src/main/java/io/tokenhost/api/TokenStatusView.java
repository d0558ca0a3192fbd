package io.tokenhost.api;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Read-only view of what the host's token manager is doing, for shells and metrics. The host
 * registers it as an OSGi service. Nothing reachable from it carries token bytes.
 */
@ProviderType
public interface TokenStatusView {

    /** The version of the current token container. */
    long containerVersion();

    /** One entry per known provider service, sorted by service name. */
    List<ServiceStatus> services();

    /** One entry per registered receiver, sorted by service name. */
    List<ReceiverStatus> receivers();

    default Optional<ServiceStatus> service(String serviceName) {
        return services().stream().filter(s -> s.serviceName().equals(serviceName)).findFirst();
    }
}
