package io.tokenhost.host.plugins;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the plugins directory (framework property {@value #PLUGINS_DIR}) and logs each problem
 * once, with its cause, when it has lasted two scans; {@code token:plugins} shows the current picture.
 */
@Component(immediate = true, service = PluginReporter.class)
public final class PluginReporter {

    public static final String PLUGINS_DIR = "tokenhost.plugins.dir";

    private static final Logger LOG = LoggerFactory.getLogger(PluginReporter.class);
    private static final long SCAN_MILLIS = 1000;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServiceComponentRuntime scr;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PluginStarter starter;

    private BundleContext context;
    private PluginInspector inspector;
    private ScheduledExecutorService scanner;
    private final Set<String> reported = new HashSet<>();
    private Set<String> previousScan = Set.of();

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        String directory = context.getProperty(PLUGINS_DIR);
        if (directory == null) {
            LOG.info("No plugins directory ({} is not set); plugin reports are off", PLUGINS_DIR);
            return;
        }
        inspector = new PluginInspector(context, Path.of(directory), bundle -> {
            PluginStarter current = starter;
            return current == null ? Optional.empty() : current.problem(bundle);
        });
        scanner = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tokenhost-plugin-reporter");
            thread.setDaemon(true);
            return thread;
        });
        scanner.scheduleWithFixedDelay(this::reportNewProblems, SCAN_MILLIS, SCAN_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        if (scanner != null) {
            scanner.shutdownNow();
        }
    }

    /** The plugins directory, if the host has one. */
    public Optional<Path> directory() {
        return Optional.ofNullable(inspector).map(PluginInspector::directory);
    }

    /** @throws IllegalStateException if the host has no plugins directory */
    public List<PluginFile> inspect() throws IOException {
        if (inspector == null) {
            throw new IllegalStateException("this host has no plugins directory (" + PLUGINS_DIR + " is not set)");
        }
        return inspector.inspect(Optional.ofNullable(scr));
    }

    /** Bundles installed more than once, one line each (none if the host has no plugins directory). */
    public List<String> duplicateBundles() {
        return inspector == null ? List.of() : inspector.duplicateBundles();
    }

    /** Threads left running by uninstalled or updated plugins, one line each. */
    public List<String> leftoverThreads() {
        PluginStarter current = starter;
        return current == null ? List.of() : current.leftoverThreads();
    }

    /** Releases a quarantined plugin and starts it: see {@link PluginStarter#release}. */
    public String release(String symbolicName) throws IOException {
        PluginStarter current = starter;
        if (current == null) {
            throw new IllegalStateException("the plugin starter is not running");
        }
        return current.release(symbolicName);
    }

    /** Whether a file's problem means the plugin is not serving (a file that is no jar is merely ignored). */
    public static boolean broken(PluginFile file) {
        return file.problem().isPresent() && !file.state().equals(PluginInspector.IGNORED);
    }

    private void reportNewProblems() {
        if (frameworkStopping()) {
            return; // plugins stop before the host does: "resolved but not started" is no problem then
        }
        try {
            Set<String> current = new HashSet<>();
            for (PluginFile file : inspect()) {
                if (file.state().equals(PluginInspector.IGNORED) && file.problem().isPresent()
                        && file.problem().get().startsWith(PluginInspector.NOT_REGULAR)) {
                    String key = file.fileName() + ": " + file.problem().get();
                    current.add(key);
                    if (reported.add(key)) {
                        LOG.warn("Ignoring plugins/{}: {}; only regular .jar files are installed", file.fileName(),
                                file.problem().get());
                    }
                    continue;
                }
                if (file.problem().isEmpty() || file.state().equals(PluginInspector.IGNORED)
                        || file.problem().get().startsWith(PluginInspector.PENDING)
                        || file.problem().get().startsWith(PluginStarter.HUNG)
                        || file.state().equals(PluginInspector.QUARANTINED)) {
                    // the starter logs hung and quarantined plugins itself, once
                    continue;
                }
                String key = file.fileName() + ": " + file.problem().get();
                current.add(key);
                // Only a problem seen by two scans in a row: a jar FileInstall has installed but not
                // yet started looks unresolved for a moment, and that is no problem to log.
                if (previousScan.contains(key) && reported.add(key)) {
                    LOG.error("Plugin {} is not serving: {}", file.fileName(), file.problem().get());
                }
            }
            for (String duplicate : duplicateBundles()) {
                current.add(duplicate);
                if (previousScan.contains(duplicate) && reported.add(duplicate)) {
                    LOG.warn("Plugin bundle {}", duplicate);
                }
            }
            reported.retainAll(current);
            previousScan = current;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not inspect the plugins directory: {}", e.toString());
        }
    }

    private boolean frameworkStopping() {
        try {
            return context.getBundle(0).getState() == org.osgi.framework.Bundle.STOPPING;
        } catch (IllegalStateException e) {
            return true; // our context is no longer valid
        }
    }
}
