package io.tokenhost.metrics;

import io.tokenhost.api.telemetry.DeliveryRecord;
import io.tokenhost.api.telemetry.ObtainRecord;
import io.tokenhost.api.telemetry.TokenEvents;
import java.io.IOException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.TreeSet;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the audit log ({@link AuditTrail}): token events (as a {@link TokenEvents} observer),
 * plugins installed, updated or removed (bundles installed from {@code plugins/}), plugins that
 * failed (a jar in {@code plugins/} whose bundle is not active in two scans a second apart, once
 * until it recovers: corrupt, unresolved, failed to start),
 * and configurations changed or deleted (as a ConfigAdmin {@link ConfigurationListener}: the PID and
 * its key names only). Started by {@link AuditActivator} when this bundle starts, before FileInstall's
 * first scan, so that the first plugins and configurations are audited too. Console commands are audited by the console itself, pushes and
 * acknowledgements by the manager role.
 */
final class AuditListeners implements TokenEvents, ConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(AuditListeners.class);
    /** Added by ConfigAdmin and FileInstall, not by whoever wrote the configuration. */
    private static final Set<String> FRAMEWORK_KEYS = Set.of("service.pid", "service.factoryPid",
            "service.bundleLocation", "felix.fileinstall.filename", ":org.apache.felix.configadmin.revision:");

    private final AuditTrail trail = new AuditTrail();
    private final BundleContext context;
    private final PluginCensus plugins;
    private final BundleListener bundles = this::bundleChanged;
    private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "tokenhost-audit-plugins");
        thread.setDaemon(true);
        return thread;
    });
    /** Plugin files not active in the previous scan, and those already written as failed. */
    private Map<String, String> previousScan = Map.of();
    private final Set<String> reported = new HashSet<>();

    AuditListeners(BundleContext context) {
        this.context = context;
        this.plugins = new PluginCensus(context);
        context.addBundleListener(bundles);
        if (plugins.directory().isPresent()) {
            scanner.scheduleWithFixedDelay(this::scanPlugins, 1, 1, TimeUnit.SECONDS);
        }
    }

    void close() {
        scanner.shutdownNow();
        context.removeBundleListener(bundles);
    }

    /** A plugin not active in two scans in a row (installing takes a moment) failed; once until it recovers. */
    private void scanPlugins() {
        try {
            if (context.getBundle(0).getState() == Bundle.STOPPING) {
                return; // plugins stop before the host: no failure
            }
            Map<String, String> now = plugins.notActive();
            now.forEach((file, state) -> {
                if (state.equals(previousScan.get(file)) && reported.add(file)) {
                    trail.pluginFailed(file, state);
                }
            });
            reported.retainAll(now.keySet());
            previousScan = now;
        } catch (RuntimeException e) {
            LOG.debug("Could not scan the plugins: {}", e.toString());
        }
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
