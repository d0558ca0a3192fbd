package io.tokenhost.metrics;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Counts the plugins, at scrape time: each {@code *.jar} in {@code plugins/} by the state of the
 * bundle FileInstall installed from it ({@code not_installed} when none: a corrupt jar, not a
 * bundle, or not picked up yet), and the plugins with a problem: every jar whose bundle is not
 * ACTIVE. {@code token:plugins} tells why.
 */
final class PluginCensus implements PluginCounts {

    static final String PLUGINS_DIR = "tokenhost.plugins.dir";
    static final String[] STATES = {"active", "resolved", "installed", "starting", "stopping", "not_installed"};

    private final BundleContext context;
    private final Optional<Path> directory;

    PluginCensus(BundleContext context) {
        this.context = context;
        String dir = context == null ? null : context.getProperty(PLUGINS_DIR);
        this.directory = Optional.ofNullable(dir).map(d -> Path.of(d).toAbsolutePath().normalize());
    }

    Optional<Path> directory() {
        return directory;
    }

    /** Whether a bundle was installed from the plugins directory. */
    boolean isPlugin(Bundle bundle) {
        return directory.isPresent() && file(bundle).map(f -> directory.get().equals(f.getParent())).orElse(false);
    }

    /** Plugin count by state, every state present (0 when none). */
    @Override
    public Map<String, Integer> byState() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String state : STATES) {
            counts.put(state, 0);
        }
        jars().forEach((jar, bundle) -> counts.merge(state(bundle), 1, Integer::sum));
        return counts;
    }

    @Override
    public int problems() {
        return (int) jars().values().stream().filter(b -> b == null || b.getState() != Bundle.ACTIVE).count();
    }

    /** Each jar whose bundle is not active, by file name, with the state it is in. */
    Map<String, String> notActive() {
        Map<String, String> found = new HashMap<>();
        jars().forEach((jar, bundle) -> {
            if (bundle == null || bundle.getState() != Bundle.ACTIVE) {
                found.put(jar.getFileName().toString(), state(bundle));
            }
        });
        return found;
    }

    /** Each jar in the directory with the bundle installed from it, or null. */
    private Map<Path, Bundle> jars() {
        Map<Path, Bundle> jars = new HashMap<>();
        if (directory.isEmpty()) {
            return jars;
        }
        try (Stream<Path> files = Files.list(directory.get())) {
            files.filter(f -> f.getFileName().toString().endsWith(".jar")).forEach(f -> jars.put(f, null));
        } catch (IOException e) {
            return jars;
        }
        for (Bundle bundle : context.getBundles()) {
            file(bundle).filter(jars::containsKey).ifPresent(f -> jars.put(f, bundle));
        }
        return jars;
    }

    private static String state(Bundle bundle) {
        if (bundle == null) {
            return "not_installed";
        }
        return switch (bundle.getState()) {
            case Bundle.ACTIVE -> "active";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            default -> "installed";
        };
    }

    private static Optional<Path> file(Bundle bundle) {
        String location = bundle.getLocation();
        if (location == null || !location.startsWith("file:")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(URI.create(location)).toAbsolutePath().normalize());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
