package io.tokenhost.itests.osgi;

import io.tokenhost.api.DelegationTokenProvider;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** Finds provider services in the registry directly, without going through the host. */
public final class Providers {

    private Providers() {
    }

    public static DelegationTokenProvider await(BundleContext context, String serviceName) throws InterruptedException {
        return HostTestBase.AWAIT.value("provider service '" + serviceName + "'", () -> find(context, serviceName));
    }

    static Optional<DelegationTokenProvider> find(BundleContext context, String serviceName) {
        try {
            for (ServiceReference<DelegationTokenProvider> ref
                    : context.getServiceReferences(DelegationTokenProvider.class, null)) {
                DelegationTokenProvider provider = context.getService(ref);
                if (provider != null && serviceName.equals(provider.serviceName())) {
                    return Optional.of(provider);
                }
            }
            return Optional.empty();
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
