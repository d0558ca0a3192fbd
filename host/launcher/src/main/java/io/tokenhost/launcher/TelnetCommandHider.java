package io.tokenhost.launcher;

import java.util.Collection;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;

/**
 * Hides the Gogo shell's {@code telnetd} command from every other bundle. Gogo shell 1.1.4
 * registers it unconditionally; it starts an unauthenticated TCP shell, which Tokenhost must never
 * offer (the local console is a user-checked Unix socket). Hiding the service from the command
 * processor makes {@code telnetd} an unknown command, both on the terminal and over the console.
 */
public final class TelnetCommandHider implements FindHook, EventListenerHook {

    static final String TELNET_CLASS = "org.apache.felix.gogo.shell.Telnet";

    @Override
    public void find(BundleContext context, String name, String filter, boolean allServices,
            Collection<ServiceReference<?>> references) {
        references.removeIf(ref -> hiddenFrom(ref, context));
    }

    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
        ServiceReference<?> ref = event.getServiceReference();
        if (isTelnet(ref)) {
            listeners.keySet().removeIf(context -> hiddenFrom(ref, context));
        }
    }

    private static boolean hiddenFrom(ServiceReference<?> ref, BundleContext context) {
        return isTelnet(ref) && context.getBundle() != ref.getBundle();
    }

    private static boolean isTelnet(ServiceReference<?> ref) {
        Object classes = ref.getProperty(Constants.OBJECTCLASS);
        if (classes instanceof String[] names) {
            for (String n : names) {
                if (TELNET_CLASS.equals(n)) {
                    return true;
                }
            }
        }
        return false;
    }
}
