package io.tokenhost.host.config;

import java.util.Hashtable;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Registers the {@link SecretFilePlugin} as the host core bundle starts, without waiting for
 * Declarative Services: the launcher starts this bundle before every other one (ConfigAdmin, SCR,
 * FileInstall, plugins), so the plugin is there before any component gets a configuration. The
 * plugin lists its errors on the {@link ConfigurationProblemBoard} once DS has made one.
 */
public final class HostCoreActivator implements BundleActivator {

    private ServiceTracker<ConfigurationProblemBoard, ConfigurationProblemBoard> boards;

    @Override
    public void start(BundleContext context) {
        Bundle self = context.getBundle();
        SecretFilePlugin plugin = new SecretFilePlugin(self.getBundleId(),
                self.getSymbolicName() + " [" + self.getBundleId() + "]");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(ConfigurationPlugin.CM_RANKING, 100);
        context.registerService(new String[] {ConfigurationPlugin.class.getName(), ConfigurationListener.class.getName()},
                plugin, properties);
        boards = new ServiceTracker<>(context, ConfigurationProblemBoard.class, null) {
            @Override
            public ConfigurationProblemBoard addingService(ServiceReference<ConfigurationProblemBoard> reference) {
                ConfigurationProblemBoard board = super.addingService(reference);
                plugin.board(board);
                return board;
            }

            @Override
            public void removedService(ServiceReference<ConfigurationProblemBoard> reference,
                    ConfigurationProblemBoard board) {
                plugin.board(null);
                super.removedService(reference, board);
            }
        };
        boards.open();
    }

    @Override
    public void stop(BundleContext context) {
        boards.close(); // the framework unregisters the plugin
    }
}
