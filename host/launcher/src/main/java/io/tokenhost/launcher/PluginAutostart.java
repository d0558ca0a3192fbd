package io.tokenhost.launcher;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears the persistent "started" mark of every bundle that is not a core bundle (plugins from
 * {@code plugins/}), before the framework starts: the framework would otherwise start them itself on
 * its start-level thread, where one whose activator never returns keeps the host from coming up.
 * The host's plugin starter starts them instead, transiently and with a deadline. Caches written
 * before the plugin starter existed hold such marks.
 */
final class PluginAutostart {

    private static final Logger LOG = LoggerFactory.getLogger(PluginAutostart.class);

    private PluginAutostart() {
    }

    static void clear(BundleContext system) {
        for (Bundle bundle : system.getBundles()) {
            if (bundle.getBundleId() == 0 || bundle.getLocation().startsWith(CoreBundles.LOCATION_PREFIX)) {
                continue;
            }
            try {
                bundle.stop(); // not started yet: only records that it is not to be started
            } catch (BundleException | IllegalStateException e) {
                LOG.warn("could not clear the autostart mark of {}: {}", bundle.getLocation(), e.getMessage());
            }
        }
    }
}
