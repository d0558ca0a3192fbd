package io.tokenhost.hadoop.common;

import io.tokenhost.api.Configured;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The one service a component of this bundle offers the host, started from the component's
 * accepted settings and registered by hand. The next accepted configuration replaces it as a
 * whole: the host sees the old one leave and the new one arrive, and obtains or delivers at once,
 * as after a restart. A refused configuration leaves it running as it is, or not at all if no
 * configuration was ever accepted. (DS can neither replace a service it registered for a
 * component, nor restart the component without dropping the settings in force.)
 *
 * @param <C> the component's settings
 */
public final class ConfiguredService<C> {

    /** Starts the service for accepted settings; it is closed when replaced or stopped. */
    @FunctionalInterface
    public interface Starter<C> {
        AutoCloseable start(C settings) throws Exception;
    }

    private final Configured<C> configured;
    private final Class<?> type;
    private final Starter<C> starter;
    private BundleContext context;
    private ServiceRegistration<?> registration;
    private AutoCloseable running;

    /** @param type the service type the host looks for, implemented by what {@code starter} returns */
    public ConfiguredService(Configured<C> configured, Class<?> type, Starter<C> starter) {
        this.configured = configured;
        this.type = type;
        this.starter = starter;
    }

    /** For the component's reference to the host's configuration problems. */
    public Configured<C> configured() {
        return configured;
    }

    public synchronized void activate(BundleContext bundleContext, Map<String, ?> properties) throws Exception {
        this.context = bundleContext;
        modify(properties);
    }

    /** The old service goes first: Hadoop's login configuration is one per bundle. */
    public synchronized void modify(Map<String, ?> properties) throws Exception {
        Optional<C> accepted = configured.modify(properties);
        if (accepted.isPresent()) {
            stop();
            running = starter.start(accepted.get());
            registration = context.registerService(type.getName(), running, null);
        }
    }

    /** Unregisters and closes the running service, if any. */
    public synchronized void stop() throws Exception {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
            registration = null;
        }
        if (running != null) {
            AutoCloseable leaving = running;
            running = null;
            leaving.close();
        }
    }
}
