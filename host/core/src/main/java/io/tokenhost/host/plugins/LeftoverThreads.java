package io.tokenhost.host.plugins;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds threads still running code of a plugin revision that was uninstalled or updated: a thread
 * whose context class loader is that revision's, or with a stack frame in one of its packages
 * ({@code Bundle-Activator}, {@code Private-Package}, {@code Export-Package}). Such a thread keeps
 * the old class loader, and often a core, busy; each is logged once and listed by {@code token:plugins}.
 */
final class LeftoverThreads {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverThreads.class);
    private static final int MAX_SHOWN = 20;

    /** What identifies one revision's code. */
    private record Footprint(String label, WeakReference<ClassLoader> loader, Set<String> packages) {
    }

    private record Leftover(WeakReference<Thread> thread, String line) {
    }

    private final Map<Long, Footprint> footprints = new ConcurrentHashMap<>();
    private final List<Leftover> found = new ArrayList<>();

    /** Notes the current revision of a started bundle (or one found running at activation). */
    void remember(Bundle bundle) {
        if (bundle.getBundleId() == 0 || (bundle.getState() & (Bundle.ACTIVE | Bundle.STARTING)) == 0) {
            return;
        }
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        ClassLoader loader = wiring == null ? null : wiring.getClassLoader();
        footprints.put(bundle.getBundleId(), new Footprint(bundle.getSymbolicName() + " " + bundle.getVersion(),
                new WeakReference<>(loader), packages(bundle)));
    }

    /** After an uninstall or update: looks for threads of the revision that left, after a moment to stop. */
    void leftBy(Bundle bundle, String how) {
        Footprint footprint = footprints.remove(bundle.getBundleId());
        if (footprint == null) {
            return;
        }
        Thread check = new Thread(() -> {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            }
            scan(footprint, how);
        }, "tokenhost-leftover-threads");
        check.setDaemon(true);
        check.start();
    }

    /** Leftover threads still alive, one line each. */
    synchronized List<String> current() {
        found.removeIf(l -> l.thread().get() == null || !l.thread().get().isAlive());
        return found.stream().map(Leftover::line).toList();
    }

    private void scan(Footprint footprint, String how) {
        ClassLoader loader = footprint.loader().get();
        Thread.getAllStackTraces().forEach((thread, frames) -> {
            if (thread == Thread.currentThread() || !thread.isAlive()) {
                return;
            }
            boolean ours = loader != null && thread.getContextClassLoader() == loader;
            for (StackTraceElement frame : frames) {
                ours |= footprint.packages().contains(packageOf(frame.getClassName()));
            }
            if (ours) {
                String line = how + " plugin " + footprint.label() + " left a thread running: "
                        + ThreadStacks.describe(thread.getName(), frames);
                LOG.warn("{}", line);
                synchronized (this) {
                    if (found.size() < MAX_SHOWN) {
                        found.add(new Leftover(new WeakReference<>(thread), line));
                    }
                }
            }
        });
    }

    static Set<String> packages(Bundle bundle) {
        Set<String> packages = new HashSet<>();
        var headers = bundle.getHeaders("");
        String activator = headers.get(Constants.BUNDLE_ACTIVATOR);
        if (activator != null) {
            packages.add(packageOf(activator.trim()));
        }
        for (String header : List.of("Private-Package", Constants.EXPORT_PACKAGE)) {
            String value = headers.get(header);
            if (value != null) {
                packages.addAll(names(value));
            }
        }
        packages.remove("");
        return packages;
    }

    /** The package names of a manifest package list, skipping attributes and quoted values. */
    static Set<String> names(String header) {
        Set<String> names = new HashSet<>();
        boolean quoted = false;
        boolean inName = true;
        StringBuilder name = new StringBuilder();
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == ',') {
                names.add(name.toString().trim());
                name.setLength(0);
                inName = true;
            } else if (!quoted && c == ';') {
                if (inName) {
                    names.add(name.toString().trim());
                    name.setLength(0);
                }
                inName = false;
            } else if (inName && !quoted) {
                name.append(c);
            }
        }
        names.add(name.toString().trim());
        return names;
    }

    static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }
}
