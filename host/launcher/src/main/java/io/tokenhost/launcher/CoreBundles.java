package io.tokenhost.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Makes the installed core bundles match the jars in {@code <home>/bundle/}: installs new jars,
 * updates a bundle whose jar changed, uninstalls a bundle whose jar is gone. Core bundles are
 * installed under the location {@code tokenhost:bundle/<file name>}, so they never collide with
 * FileInstall's plugin locations and survive a move of the installation directory.
 *
 * <p>"Changed" is judged by size and modification time, remembered in the system bundle's data
 * area (inside the framework cache, so wiping the cache also forgets it): cheap enough to run on
 * every start, unlike hashing every jar.
 */
public final class CoreBundles {

    static final String LOCATION_PREFIX = "tokenhost:bundle/";
    /**
     * The host core: its activator registers the ConfigAdmin plugin that resolves {@code <key>.file},
     * which must be there before ConfigAdmin hands any configuration to any component. It alone runs
     * at start level {@value #FIRST_LEVEL}; every other bundle, core bundles and plugins alike, at
     * {@value #LEVEL}, in bundle id order as before (FileInstall, which creates the configurations, before
     * SCR, which hands them to components).
     */
    static final String HOST_CORE = "io.tokenhost.host";
    static final int FIRST_LEVEL = 1;
    /** The start level of every bundle but the host core, and the framework's beginning start level. */
    static final int LEVEL = 2;
    private static final String STATE_FILE = "core-bundles.properties";

    /** What one synchronisation did. */
    public record SyncResult(List<Bundle> bundles, int installed, int updated, int uninstalled) {
        /** Whether existing wirings may be stale and packages must be refreshed before starting. */
        public boolean needsRefresh() {
            return updated > 0 || uninstalled > 0;
        }
    }

    private CoreBundles() {
    }

    /** Synchronises; returns the core bundles in file-name order (the order they are started in). */
    public static SyncResult sync(BundleContext system, Path bundleDir) throws IOException, BundleException {
        TreeMap<String, Path> jars = listJars(bundleDir);
        Properties state = loadState(system);
        Properties newState = new Properties();
        int installed = 0;
        int updated = 0;
        int uninstalled = 0;

        for (Bundle b : system.getBundles()) {
            String location = b.getLocation();
            if (location.startsWith(LOCATION_PREFIX)
                    && !jars.containsKey(location.substring(LOCATION_PREFIX.length()))) {
                b.uninstall();
                uninstalled++;
            }
        }

        List<Bundle> bundles = new ArrayList<>();
        for (var jar : jars.entrySet()) {
            String location = LOCATION_PREFIX + jar.getKey();
            String stamp = stamp(jar.getValue());
            Bundle b = system.getBundle(location);
            if (b == null) {
                try (InputStream in = Files.newInputStream(jar.getValue())) {
                    b = system.installBundle(location, in);
                }
                installed++;
            } else if (!stamp.equals(state.getProperty(location))) {
                try (InputStream in = Files.newInputStream(jar.getValue())) {
                    b.update(in);
                }
                updated++;
            }
            newState.setProperty(location, stamp);
            bundles.add(b);
        }
        if (installed + updated + uninstalled > 0) {
            saveState(system, newState);
        }
        assignStartLevels(system);
        return new SyncResult(List.copyOf(bundles), installed, updated, uninstalled);
    }

    /**
     * Starts every core bundle that is not a fragment (fragments attach to their host instead), the
     * host core first, then the API and metrics bundles, the others in file-name order.
     */
    public static void startAll(List<Bundle> bundles) throws BundleException {
        List<Bundle> ordered = new ArrayList<>(bundles);
        // The host core first; then the API and the metrics bundle, before FileInstall's first scan
        // installs the plugins and applies conf/, so that the metrics and the audit log (host/metrics)
        // see the first plugins, configurations and obtains; the others in file-name order (stable sort).
        ordered.sort(java.util.Comparator.comparingInt(
                b -> HOST_CORE.equals(b.getSymbolicName()) ? 0 : EARLY.contains(b.getSymbolicName()) ? 1 : 2));
        for (Bundle b : ordered) {
            if (b.getHeaders("").get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
    }

    /** Started right after the host core, before FileInstall: the API and the metrics (with the audit log). */
    private static final java.util.Set<String> EARLY = java.util.Set.of("io.tokenhost.api", "io.tokenhost.metrics");

    /**
     * Puts the host core at start level {@value #FIRST_LEVEL} and every other bundle (also plugins
     * from an earlier cache) at {@value #LEVEL} at least, so that at every start the framework starts
     * the host core first.
     */
    static void assignStartLevels(BundleContext system) {
        for (Bundle b : system.getBundles()) {
            BundleStartLevel level = b.adapt(BundleStartLevel.class);
            if (b.getBundleId() == 0 || level == null) {
                continue;
            }
            if (HOST_CORE.equals(b.getSymbolicName()) && b.getLocation().startsWith(LOCATION_PREFIX)) {
                if (level.getStartLevel() != FIRST_LEVEL) {
                    level.setStartLevel(FIRST_LEVEL);
                }
            } else if (level.getStartLevel() < LEVEL) {
                level.setStartLevel(LEVEL);
            }
        }
    }

    private static TreeMap<String, Path> listJars(Path dir) throws IOException {
        TreeMap<String, Path> jars = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return jars;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                    .forEach(f -> jars.put(f.getFileName().toString(), f));
        }
        return jars;
    }

    private static String stamp(Path jar) {
        try {
            BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
            return a.size() + ":" + a.lastModifiedTime().toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties loadState(BundleContext system) throws IOException {
        Properties p = new Properties();
        Path file = stateFile(system);
        if (file != null && Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        return p;
    }

    private static void saveState(BundleContext system, Properties state) throws IOException {
        Path file = stateFile(system);
        if (file == null) {
            return;
        }
        Path tmp = file.resolveSibling(STATE_FILE + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp)) {
            state.store(w, "core bundle jars as last installed: size:mtime");
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path stateFile(BundleContext system) {
        var f = system.getDataFile(STATE_FILE);
        return f == null ? null : f.toPath();
    }
}
