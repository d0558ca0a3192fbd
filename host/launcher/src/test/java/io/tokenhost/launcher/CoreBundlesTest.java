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
                "felix.log.level", "0"));
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
    void fileInstallStartsLastAndTheFrameworkNeverStartsItOnItsOwn() throws Exception {
        TestBundles.write(home.resolve("bundle/a.jar"), "a", "1.0.0");
        TestBundles.write(home.resolve("bundle/org.apache.felix.fileinstall.jar"), CoreBundles.FILEINSTALL, "3.7.4");
        TestBundles.write(home.resolve("bundle/z.jar"), "z", "1.0.0");
        java.util.List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>();

        CoreBundles.SyncResult sync = freshFrameworkAndSync();
        framework.start();
        framework.getBundleContext().addBundleListener((org.osgi.framework.SynchronousBundleListener) event -> {
            if (event.getType() == org.osgi.framework.BundleEvent.STARTED) {
                started.add(event.getBundle().getSymbolicName());
            }
        });
        CoreBundles.startAll(sync.bundles());
        assertThat(started).containsExactly("a", "z", CoreBundles.FILEINSTALL);

        // At the next start the framework starts the other core bundles from its cache, not FileInstall.
        sync = freshFrameworkAndSync();
        framework.start();
        Bundle fileInstall = sync.bundles().stream().filter(b -> b.getSymbolicName().equals(CoreBundles.FILEINSTALL))
                .findFirst().orElseThrow();
        assertThat(fileInstall.getState()).isNotEqualTo(Bundle.ACTIVE);
        assertThat(framework.getBundleContext().getBundle("tokenhost:bundle/a.jar").getState()).isEqualTo(Bundle.ACTIVE);
        CoreBundles.startAll(sync.bundles());
        assertThat(fileInstall.getState()).isEqualTo(Bundle.ACTIVE);
    }
}
