package io.tokenhost.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * {@link PluginStarter} in a real Felix: a plugin waiting behind a core bundle that is not up yet is
 * PluginStarter.QUEUED, not unresolved (the reporter logged an ERROR "not serving: not resolved"
 * for it on a slow start), and it starts once the core bundle is active. About 1 s.
 */
class PluginStarterTest {

    @TempDir
    Path dir;
    private Felix felix;
    private PluginStarter starter;

    @AfterEach
    void stop() throws Exception {
        if (starter != null) {
            starter.deactivate();
        }
        if (felix != null) {
            felix.stop();
            felix.waitForStop(10_000);
        }
    }

    @Test
    void aPluginQueuedBehindTheCoreBundlesIsWaitingForItsStartNotUnresolved() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        felix = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, dir.resolve("felix").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                PluginReporter.PLUGINS_DIR, plugins.toString(), PluginStarter.HOME, dir.toString()));
        felix.start();
        BundleContext context = felix.getBundleContext();
        Files.createDirectories(dir.resolve("data"));
        Bundle core = context.installBundle(PluginStarter.CORE_LOCATION + "core.jar",
                Files.newInputStream(bundle(dir.resolve("core.jar"), "test.core")));
        Path jar = bundle(plugins.resolve("plugin.jar"), "test.plugin");
        Bundle plugin = context.installBundle(jar.toUri().toString(), Files.newInputStream(jar));

        starter = new PluginStarter();
        starter.activate(context, Map.of());
        // the starter waits up to 20 s for the core bundle, which nobody starts yet
        assertThat(starter.problem(plugin)).as("queued behind the core bundle")
                .hasValueSatisfying(problem -> assertThat(problem).startsWith(PluginStarter.QUEUED));
        assertThat(plugin.getState()).isEqualTo(Bundle.INSTALLED);

        core.start();
        Await.atMost(Duration.ofSeconds(10)).every(Duration.ofMillis(20))
                .until("the plugin started after the core bundle", () -> plugin.getState() == Bundle.ACTIVE);
        assertThat(starter.problem(plugin)).as("started: no problem left").isEmpty();
    }

    /** A bundle with a manifest and nothing else. */
    private static Path bundle(Path file, String symbolicName) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
        main.putValue(Constants.BUNDLE_VERSION, "1.0.0");
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.flush();
        }
        return file;
    }
}
