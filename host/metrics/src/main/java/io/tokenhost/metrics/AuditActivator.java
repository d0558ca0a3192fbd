package io.tokenhost.metrics;

import io.tokenhost.api.telemetry.TokenEvents;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationListener;

/**
 * Starts the audit listeners with the bundle itself rather than through Declarative Services: the
 * launcher starts this bundle before FileInstall and SCR, so its bundle and configuration listeners
 * hear of the plugins and configurations FileInstall's first scan brings.
 */
public final class AuditActivator implements BundleActivator {

    private AuditListeners listeners;
    private ServiceRegistration<?> registration;

    @Override
    public void start(BundleContext context) {
        listeners = new AuditListeners(context);
        registration = context.registerService(new String[] {TokenEvents.class.getName(),
            ConfigurationListener.class.getName()}, listeners, new Hashtable<>());
    }

    @Override
    public void stop(BundleContext context) {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // unregistered with the bundle
        }
        listeners.close();
    }
}
