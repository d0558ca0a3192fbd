package io.tokenhost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.framework.launch.Framework;

class CoreBundlesTest {

    @TempDir
    Path home;

    private Framework framework;

    @AfterEach
    void stopFramework() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(5000);
        }
    }

    private CoreBundles.SyncResult freshFrameworkAndSync() throws Exception {
        stopFramework();
        framework = new FrameworkFactory().newFramework(Map.of(
                "org.osgi.framework.storage", home.resolve("cache").toString(),
                "felix.log.level", "0",
                "org.osgi.framework.startlevel.beginning", String.valueOf(CoreBundles.LEVEL)));
        framework.init();
        return CoreBundles.sync(framework.getBundleContext(), home.resolve("bundle"));
    }

    @Test
    void installsOnceThenKeepsInstalledBundlesAcrossRestarts() throws Exception {
        TestBundles.write(home.resolve("bundle/a.jar"), "a", "1.0.0");
        TestBundles.write(home.resolve("bundle/b.jar"), "b", "1.0.0");
        Files.writeString(home.resolve("bundle/notes.txt"), "not a bundle");

        CoreBundles.SyncResult first = freshFrameworkAndSync();
        assertThat(first.installed()).isEqualTo(2);
        assertThat(first.bundles()).extracting(Bundle::getSymbolicName).containsExactly("a", "b");
        assertThat(first.bundles()).extracting(Bundle::getLocation)
                .containsExactly("tokenhost:bundle/a.jar", "tokenhost:bundle/b.jar");

        CoreBundles.SyncResult second = freshFrameworkAndSync();
        assertThat(second.installed() + second.updated() + second.uninstalled()).isZero();
        assertThat(second.needsRefresh()).isFalse();
        assertThat(second.bundles()).extracting(Bundle::getBundleId)
                .containsExactlyElementsOf(first.bundles().stream().map(Bundle::getBundleId).toList());
    }

    @Test
    void updatesAChangedJarAndUninstallsARemovedOne() throws Exception {
        Path a = TestBundles.write(home.resolve("bundle/a.jar"), "a", "1.0.0");
        TestBundles.write(home.resolve("bundle/b.jar"), "b", "1.0.0");
        freshFrameworkAndSync();

        TestBundles.write(a, "a", "1.1.0");
        Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 2000));
        Files.delete(home.resolve("bundle/b.jar"));
        CoreBundles.SyncResult sync = freshFrameworkAndSync();

        assertThat(sync.updated()).isEqualTo(1);
        assertThat(sync.uninstalled()).isEqualTo(1);
        assertThat(sync.needsRefresh()).isTrue();
        assertThat(sync.bundles()).singleElement()
                .satisfies(b -> assertThat(b.getVersion()).isEqualTo(Version.parseVersion("1.1.0")));
        assertThat(framework.getBundleContext().getBundle("tokenhost:bundle/b.jar")).isNull();
    }

    @Test
    void leavesBundlesFromOtherLocationsAlone() throws Exception {
        TestBundles.write(home.resolve("bundle/a.jar"), "a", "1.0.0");
        Path plugin = TestBundles.write(home.resolve("plugins/p.jar"), "p", "1.0.0");
        freshFrameworkAndSync();
        framework.getBundleContext().installBundle(plugin.toUri().toString());

        CoreBundles.SyncResult sync = freshFrameworkAndSync();

        assertThat(sync.uninstalled()).isZero();
        assertThat(framework.getBundleContext().getBundle(plugin.toUri().toString())).isNotNull();
    }

    @Test
    void startsBundlesButNotFragments() throws Exception {
        TestBundles.write(home.resolve("bundle/a.jar"), "a", "1.0.0");
        TestBundles.write(home.resolve("bundle/a-fragment.jar"), "a.fragment", "1.0.0", "a");
        CoreBundles.SyncResult sync = freshFrameworkAndSync();
        framework.start();

        CoreBundles.startAll(sync.bundles());

        Bundle host = framework.getBundleContext().getBundle("tokenhost:bundle/a.jar");
        Bundle fragment = framework.getBundleContext().getBundle("tokenhost:bundle/a-fragment.jar");
        assertThat(host.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(fragment.getState()).isEqualTo(Bundle.RESOLVED);
    }

    @Test
    void theHostCoreStartsFirstAtEveryStartAndEveryOtherBundleAfterIt() throws Exception {
        TestBundles.write(home.resolve("bundle/a.jar"), "a", "1.0.0");
        TestBundles.write(home.resolve("bundle/tokenhost-host-core.jar"), CoreBundles.HOST_CORE, "1.0.0");
        TestBundles.write(home.resolve("bundle/z.jar"), "z", "1.0.0");
        java.util.List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>();

        CoreBundles.SyncResult sync = freshFrameworkAndSync();
        framework.start();
        framework.getBundleContext().addBundleListener((org.osgi.framework.SynchronousBundleListener) event -> {
            if (event.getType() == org.osgi.framework.BundleEvent.STARTED && event.getBundle().getBundleId() != 0) {
                started.add(event.getBundle().getSymbolicName());
            }
        });
        CoreBundles.startAll(sync.bundles());
        assertThat(started).containsExactly(CoreBundles.HOST_CORE, "a", "z");
        Bundle plugin = framework.getBundleContext().installBundle("file:plugin.jar",
                java.nio.file.Files.newInputStream(TestBundles.write(home.resolve("plugin.jar"), "plugin", "1.0.0")));
        plugin.start();

        // At the next start the framework itself starts them: the host core (level 1) before the rest,
        // even though its bundle id is higher; a plugin of an older cache is moved up to level 2.
        framework.stop();
        framework.waitForStop(5000);
        framework = new FrameworkFactory().newFramework(Map.of(
                "org.osgi.framework.storage", home.resolve("cache").toString(), "felix.log.level", "0",
                "org.osgi.framework.startlevel.beginning", String.valueOf(CoreBundles.LEVEL)));
        framework.init();
        framework.getBundleContext().getBundle("file:plugin.jar").adapt(org.osgi.framework.startlevel.BundleStartLevel.class)
                .setStartLevel(1);
        started.clear();
        framework.getBundleContext().addBundleListener((org.osgi.framework.SynchronousBundleListener) event -> {
            if (event.getType() == org.osgi.framework.BundleEvent.STARTED && event.getBundle().getBundleId() != 0) {
                started.add(event.getBundle().getSymbolicName());
            }
        });
        CoreBundles.sync(framework.getBundleContext(), home.resolve("bundle"));
        framework.start();
        assertThat(started).containsExactly(CoreBundles.HOST_CORE, "a", "z", "plugin");
    }
}
