package io.tokenhost.itests.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/** The reactor-built jars the tests install, located through {@code tokenhost.jar.<name>} properties. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path jar(String name) {
        Path path = Path.of(required("tokenhost.jar." + name));
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("fixture jar '" + name + "' not built: " + path);
        }
        return path;
    }

    public static String uri(String name) {
        return jar(name).toUri().toString();
    }

    /** Installs a jar the way a plugin directory would: from a stream, under its file location. */
    public static Bundle install(BundleContext context, String name) throws BundleException, IOException {
        try (InputStream in = Files.newInputStream(jar(name))) {
            return context.installBundle(uri(name), in);
        }
    }

    public static Bundle installAndStart(BundleContext context, String name) throws BundleException, IOException {
        Bundle bundle = install(context, name);
        bundle.start();
        return bundle;
    }

    /** Replaces a bundle's content with the given jar, as dropping a new version of a plugin does. */
    public static void update(Bundle bundle, String name) throws BundleException, IOException {
        try (InputStream in = Files.newInputStream(jar(name))) {
            bundle.update(in);
        }
    }

    static String required(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + key + " is not set; run the tests through Maven failsafe");
        }
        return value;
    }
}
