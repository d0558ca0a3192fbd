package io.tokenhost.hadoop.common;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Services this bundle registers by hand, for {@link io.tokenhost.api.ConfiguredService}. */
public final class Registrations {

    private Registrations() {
    }

    /**
     * Registers a started service under a type, without properties.
     *
     * @return what unregisters it (unless the framework already did, with the bundle) and then closes it
     */
    public static <T extends AutoCloseable> AutoCloseable register(BundleContext context, Class<? super T> type,
            T service) {
        ServiceRegistration<?> registration = context.registerService(type.getName(), service, null);
        return () -> {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered with the bundle
            }
            service.close();
        };
    }
}
