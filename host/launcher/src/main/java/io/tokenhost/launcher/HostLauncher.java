package io.tokenhost.launcher;

import java.time.Duration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.log.LogService;
import org.osgi.service.log.LoggerFactory;
import org.slf4j.Logger;

/**
 * Starts and stops Felix for one installation home. Usable from {@link Main}, tests and
 * benchmarks: {@link #start()} returns the running framework with every core bundle started.
 */
public final class HostLauncher {

    private static final Logger LOG = org.slf4j.LoggerFactory.getLogger(HostLauncher.class);
    private static final String FELIX_LOGGER = "felix.log.logger";

    private final Home home;
    private final Map<String, Object> properties;
    private volatile Framework framework;

    public HostLauncher(Home home, Map<String, Object> properties) {
        this.home = home;
        this.properties = new HashMap<>(properties);
    }

    /** Initialises the framework, syncs {@code bundle/}, starts the framework and the core bundles. */
    public synchronized Framework start() throws Exception {
        Map<String, Object> config = new HashMap<>(properties);
        config.putIfAbsent(FELIX_LOGGER, new Slf4jFelixLogger());
        // Felix declares Map<String, String> but reads felix.log.logger as an object (see Felix's
        // constructor); the raw cast is how the documented property is passed.
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, String> felixConfig = (Map) config;
        Framework fw = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi FrameworkFactory on the classpath"))
                .newFramework(felixConfig);
        fw.init();
        framework = fw;
        BundleContext system = fw.getBundleContext();
        registerFrameworkServices(system);

        CoreBundles.SyncResult sync = CoreBundles.sync(system, home.bundleDir());
        LOG.info("core bundles: {} installed, {} updated, {} uninstalled, {} in total",
                sync.installed(), sync.updated(), sync.uninstalled(), sync.bundles().size());
        if (sync.needsRefresh()) {
            refresh(fw);
        }
        PluginAutostart.clear(system);
        fw.start();
        CoreBundles.startAll(sync.bundles());
        StaleConfigurations.delete(system, home.confDir());
        return fw;
    }

    /**
     * Stops the framework and waits for it; safe to call at any time, also more than once. Returns
     * false if it did not stop within {@code timeout}.
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        Framework fw = framework;
        if (fw == null) {
            return true;
        }
        try {
            fw.stop();
        } catch (Exception e) {
            LOG.warn("stopping the framework failed", e);
        }
        FrameworkEvent event = fw.waitForStop(timeout.toMillis());
        if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
            LOG.warn("framework did not stop within {}", timeout);
            return false;
        }
        return true;
    }

    public Framework framework() {
        return framework;
    }

    private static void registerFrameworkServices(BundleContext system) {
        system.registerService(new String[] {LogService.class.getName(), LoggerFactory.class.getName()},
                Slf4jLogService.factory(), new Hashtable<>());
        TelnetCommandHider hider = new TelnetCommandHider();
        system.registerService(new String[] {FindHook.class.getName(), EventListenerHook.class.getName()},
                hider, new Hashtable<>());
    }

    private static void refresh(Framework fw) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        fw.adapt(FrameworkWiring.class).refreshBundles(null, event -> done.countDown());
        if (!done.await(30, TimeUnit.SECONDS)) {
            LOG.warn("package refresh after core bundle changes did not finish within 30 s");
        }
    }
}
