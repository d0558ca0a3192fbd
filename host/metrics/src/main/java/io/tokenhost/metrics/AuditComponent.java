package io.tokenhost.metrics;

import io.tokenhost.api.telemetry.DeliveryRecord;
import io.tokenhost.api.telemetry.ObtainRecord;
import io.tokenhost.api.telemetry.TokenEvents;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the audit log ({@link AuditTrail}): token events (as a {@link TokenEvents} observer),
 * plugins installed, updated, removed or failing to start (bundles installed from {@code plugins/}),
 * and configurations changed or deleted (as a ConfigAdmin {@link ConfigurationListener}: the PID and
 * its key names only). Console commands are audited by the console itself, pushes and
 * acknowledgements by the manager role.
 */
@Component(immediate = true, service = {TokenEvents.class, ConfigurationListener.class})
public final class AuditComponent implements TokenEvents, ConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(AuditComponent.class);
    /** Added by ConfigAdmin and FileInstall, not by whoever wrote the configuration. */
    private static final Set<String> FRAMEWORK_KEYS = Set.of("service.pid", "service.factoryPid",
            "service.bundleLocation", "felix.fileinstall.filename", ":org.apache.felix.configadmin.revision:");

    private final AuditTrail trail = new AuditTrail();
    private final BundleContext context;
    private final PluginCensus plugins;
    private final BundleListener bundles = this::bundleChanged;
    private final FrameworkListener failures = this::frameworkEvent;

    @Activate
    public AuditComponent(BundleContext context) {
        this.context = context;
        this.plugins = new PluginCensus(context);
        context.addBundleListener(bundles);
        context.addFrameworkListener(failures);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(bundles);
        context.removeFrameworkListener(failures);
    }

    private void bundleChanged(BundleEvent event) {
        String action = switch (event.getType()) {
            case BundleEvent.INSTALLED -> "installed";
            case BundleEvent.UPDATED -> "updated";
            case BundleEvent.UNINSTALLED -> "removed";
            default -> null;
        };
        if (action != null && plugins.isPlugin(event.getBundle())) {
            plugin(action, event.getBundle());
        }
    }

    private void frameworkEvent(FrameworkEvent event) {
        Bundle bundle = event.getBundle();
        if (event.getType() == FrameworkEvent.ERROR && bundle != null && plugins.isPlugin(bundle)) {
            plugin("failed", bundle);
        }
    }

    private void plugin(String action, Bundle bundle) {
        String location = bundle.getLocation();
        trail.plugin(action, String.valueOf(bundle.getSymbolicName()), String.valueOf(bundle.getVersion()),
                location.substring(location.lastIndexOf('/') + 1));
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String action = switch (event.getType()) {
            case ConfigurationEvent.CM_UPDATED -> "changed";
            case ConfigurationEvent.CM_DELETED -> "deleted";
            default -> null;
        };
        if (action != null) {
            trail.configuration(action, event.getPid(), action.equals("changed") ? keys(event) : List.of());
        }
    }

    /** The key names of the configuration now (never the values), framework keys left out. */
    private List<String> keys(ConfigurationEvent event) {
        ConfigurationAdmin admin = context.getService(event.getReference());
        if (admin == null) {
            return List.of();
        }
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + event.getPid() + ")");
            if (found == null || found.length == 0 || found[0].getProperties() == null) {
                return List.of();
            }
            TreeSet<String> keys = new TreeSet<>(Collections.list(found[0].getProperties().keys()));
            keys.removeAll(FRAMEWORK_KEYS);
            return List.copyOf(keys);
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            LOG.debug("Could not read the keys of {}: {}", event.getPid(), e.toString());
            return List.of();
        } finally {
            context.ungetService(event.getReference());
        }
    }

    @Override
    public void obtainEnded(ObtainRecord record) {
        trail.obtainEnded(record);
    }

    @Override
    public void delivered(DeliveryRecord record) {
        trail.delivered(record);
    }

    @Override
    public void withdrawn(String service, long containerVersion) {
        trail.withdrawn(service, containerVersion);
    }
}
