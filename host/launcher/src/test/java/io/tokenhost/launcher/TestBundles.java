package io.tokenhost.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes minimal bundle jars (a manifest and nothing else) for tests. */
final class TestBundles {

    private TestBundles() {
    }

    static Path write(Path jar, String symbolicName, String version) throws IOException {
        return write(jar, symbolicName, version, null);
    }

    static Path write(Path jar, String symbolicName, String version, String fragmentHost) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", version);
        if (fragmentHost != null) {
            a.putValue("Fragment-Host", fragmentHost);
        }
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return jar;
    }
}
