package io.tokenhost.host.plugins;

import io.tokenhost.host.common.MessageSanitiser;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * Looks at every file in the plugins directory and at the bundle FileInstall installed from it.
 * FileInstall silently skips a file it cannot install and retries it on every scan, so the host
 * has to find out itself: a corrupt jar, a jar that is not a bundle, an unresolved bundle (naming
 * what is missing), a bundle whose components failed.
 */
public final class PluginInspector {

    /** State of a file FileInstall does not look at. */
    static final String IGNORED = "IGNORED";
    /** Start of the problem text of a jar FileInstall has not got to yet. */
    static final String PENDING = "not installed (yet)";

    /** Start of the problem text of an entry that is neither a regular file nor a directory. */
    static final String NOT_REGULAR = "not a regular file";

    /** State shown for a plugin kept from starting because its start hung before. */
    static final String QUARANTINED = "QUARANTINED";

    private final BundleContext context;
    private final Path directory;
    private final BundleProblems problems;
    private final Function<Bundle, Optional<String>> startProblems;

    public PluginInspector(BundleContext context, Path directory) {
        this(context, directory, bundle -> Optional.empty());
    }

    /** @param startProblems why a bundle's start hung or is held back (see {@link PluginStarter#problem}) */
    public PluginInspector(BundleContext context, Path directory, Function<Bundle, Optional<String>> startProblems) {
        this.context = context;
        this.directory = directory.toAbsolutePath().normalize();
        this.problems = new BundleProblems(context);
        this.startProblems = startProblems;
    }

    public Path directory() {
        return directory;
    }

    /** Every file in the directory, by name. */
    public List<PluginFile> inspect(Optional<ServiceComponentRuntime> scr) throws IOException {
        Map<Path, Bundle> bundlesByFile = bundlesInstalledFromDirectory();
        List<PluginFile> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path file : entries) {
                if (Files.isRegularFile(file)) {
                    files.add(inspect(file, bundlesByFile.get(file), scr));
                } else {
                    files.add(notRegular(file));
                }
            }
        }
        files.sort((a, b) -> a.fileName().compareTo(b.fileName()));
        return files;
    }

    private PluginFile inspect(Path file, Bundle bundle, Optional<ServiceComponentRuntime> scr) {
        String name = file.getFileName().toString();
        if (!name.endsWith(".jar")) {
            return new PluginFile(name, Optional.empty(), IGNORED, Optional.of("not a .jar file"));
        }
        if (bundle == null) {
            return notInstalled(file);
        }
        String label = bundle.getSymbolicName() + " " + bundle.getVersion() + " [" + bundle.getBundleId() + "]";
        String state = stateName(bundle.getState());
        List<String> found = new ArrayList<>();
        Optional<String> startProblem = startProblems.apply(bundle);
        if (startProblem.isPresent()) {
            boolean held = startProblem.get().startsWith(QUARANTINED);
            return new PluginFile(name, Optional.of(label), held ? QUARANTINED : state,
                    Optional.of(held ? startProblem.get().substring(QUARANTINED.length() + 2) : startProblem.get()));
        }
        if (bundle.getState() == Bundle.INSTALLED) {
            List<String> missing = problems.missingRequirements(bundle);
            found.add(missing.isEmpty() ? "not resolved (a dependency's own requirements or a uses conflict)"
                    : "unresolved, missing " + String.join("; ", missing));
        } else if (bundle.getState() == Bundle.RESOLVED && !isFragment(bundle)) {
            found.add("resolved but not started (see the log for its activator's error)");
        } else if (bundle.getState() == Bundle.ACTIVE) {
            found.addAll(problems.componentProblems(bundle, scr));
        }
        return new PluginFile(name, Optional.of(label), state,
                found.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", found)));
    }

    /**
     * An entry that is no regular file: a directory is merely not looked into; anything else (a
     * device, FIFO, socket, or a link to one or to nothing) is named as no plugin (the reporter
     * logs it once), so an operator sees why nothing was installed from it.
     */
    private static PluginFile notRegular(Path file) {
        String name = file.getFileName().toString();
        if (Files.isDirectory(file)) {
            return new PluginFile(name, Optional.empty(), IGNORED, Optional.of("a directory (not looked into)"));
        }
        String what = !Files.exists(file) ? "a link to nothing"
                : (Files.isSymbolicLink(file) ? "a link to " : "") + "a device, FIFO or socket";
        return new PluginFile(name, Optional.empty(), IGNORED, Optional.of(NOT_REGULAR + " (" + what + ")"));
    }

    /** A jar FileInstall has not installed: say why it could not, or that it is still pending. */
    private static PluginFile notInstalled(Path file) {
        String name = file.getFileName().toString();
        Manifest manifest;
        try (JarFile jar = new JarFile(file.toFile())) {
            manifest = jar.getManifest();
        } catch (IOException e) {
            return new PluginFile(name, Optional.empty(), "NOT INSTALLED",
                    Optional.of("corrupt jar: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                            : MessageSanitiser.sanitise(e.getMessage(), 300))));
        }
        Attributes main = manifest == null ? null : manifest.getMainAttributes();
        if (main == null || main.getValue(Constants.BUNDLE_SYMBOLICNAME) == null) {
            return new PluginFile(name, Optional.empty(), "NOT INSTALLED",
                    Optional.of("not an OSGi bundle: its manifest has no Bundle-SymbolicName"));
        }
        return new PluginFile(name, Optional.empty(), "NOT INSTALLED",
                Optional.of(PENDING + ": if this lasts, its manifest may be invalid or it duplicates an"
                        + " installed bundle; see the log"));
    }

    /**
     * Every bundle symbolic name installed more than once (two versions of one plugin side by
     * side, usually an old jar left next to its new build), one line each naming every copy.
     */
    public List<String> duplicateBundles() {
        Map<String, List<Bundle>> bySymbolicName = new TreeMap<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getSymbolicName() != null && bundle.getBundleId() != 0) {
                bySymbolicName.computeIfAbsent(bundle.getSymbolicName(), n -> new ArrayList<>()).add(bundle);
            }
        }
        List<String> duplicates = new ArrayList<>();
        bySymbolicName.forEach((name, bundles) -> {
            if (bundles.size() > 1) {
                List<String> copies = new ArrayList<>();
                bundles.forEach(b -> copies.add(b.getVersion() + " [" + b.getBundleId() + "] from " + where(b)));
                duplicates.add(name + " is installed " + bundles.size() + " times: " + String.join(", ", copies));
            }
        });
        return duplicates;
    }

    /** A bundle's file name if it came from the plugins directory, else its location. */
    private String where(Bundle bundle) {
        return fileOf(bundle.getLocation())
                .filter(path -> directory.equals(path.getParent()))
                .map(path -> directory.getFileName() + "/" + path.getFileName())
                .orElse(bundle.getLocation());
    }

    private Map<Path, Bundle> bundlesInstalledFromDirectory() {
        Map<Path, Bundle> result = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            fileOf(bundle.getLocation())
                    .filter(path -> directory.equals(path.getParent()))
                    .ifPresent(path -> result.put(path, bundle));
        }
        return result;
    }

    /** The file a bundle location points at, for {@code file:} locations. */
    static Optional<Path> fileOf(String location) {
        try {
            URI uri = URI.create(location);
            if ("file".equals(uri.getScheme())) {
                return Optional.of(Path.of(uri).toAbsolutePath().normalize());
            }
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            // not a file location
        }
        return Optional.empty();
    }

    private static boolean isFragment(Bundle bundle) {
        return bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }
}
