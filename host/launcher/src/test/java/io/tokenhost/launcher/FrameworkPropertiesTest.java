package io.tokenhost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.host.common.ConsoleLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameworkPropertiesTest {

    @TempDir
    static Path dir;

    private Home home;
    private String th;

    @BeforeEach
    void home() throws Exception {
        Files.createDirectories(dir.resolve("th/x"));
        home = new Home(dir.resolve("th/./x/.."));
        th = dir.resolve("th").toString();
    }

    @Test
    void pathsAreAbsoluteAndUnderTheHomeButTheConsoleSocket() throws Exception {
        Map<String, Object> p = FrameworkProperties.of(home, Mode.HEADLESS);

        assertThat(p).containsEntry("tokenhost.home", th)
                .containsEntry("gosh.home", th)
                .containsEntry("tokenhost.plugins.dir", th + "/plugins")
                .containsEntry("tokenhost.console.socket", ConsoleLocation.socketFor(Path.of(th), null).toString())
                .containsEntry("org.osgi.framework.storage", th + "/data/felix-cache")
                .containsEntry("org.osgi.framework.storage.clean", "none")
                .containsEntry("felix.fileinstall.dir", th + "/plugins," + th + "/conf")
                .containsEntry("felix.fileinstall.poll", "250")
                .containsEntry("felix.fileinstall.noInitialDelay", "true")
                .containsEntry("felix.fileinstall.bundles.new.start", "false");
    }

    @Test
    void fileInstallFilterAdmitsJarsAndCfgFilesOnly() {
        Pattern filter = Pattern.compile((String) FrameworkProperties.of(home, Mode.HEADLESS)
                .get("felix.fileinstall.filter"));

        assertThat(filter.matcher("hadoop-bundle-1.0.jar").matches()).isTrue();
        assertThat(filter.matcher("io.tokenhost.manager.cfg").matches()).isTrue();
        assertThat(filter.matcher("README.txt").matches()).isFalse();
        assertThat(filter.matcher("logback.xml").matches()).isFalse();
        assertThat(filter.matcher("plugin.jar.part").matches()).isFalse();
        assertThat(filter.matcher("io.tokenhost.manager.cfg~").matches()).isFalse();
    }

    @Test
    void onlyHeadlessModeSilencesTheGogoShell() {
        assertThat(FrameworkProperties.of(home, Mode.HEADLESS))
                .containsEntry("gosh.args", "--nointeractive --noshutdown");
        assertThat(FrameworkProperties.of(home, Mode.INTERACTIVE)).doesNotContainKey("gosh.args");
    }

    @Test
    void exportedSlf4jVersionIsTheOneOnTheClasspath() throws Exception {
        Path slf4jJar = Path.of(org.slf4j.Logger.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String bundleVersion;
        try (JarFile jar = new JarFile(slf4jJar.toFile())) {
            bundleVersion = jar.getManifest().getMainAttributes().getValue("Bundle-Version");
        }
        assertThat(FrameworkProperties.SLF4J_VERSION).isEqualTo(bundleVersion);
        assertThat(FrameworkProperties.systemPackagesExtra())
                .contains("org.slf4j;version=" + bundleVersion)
                .contains("org.slf4j.spi;version=" + bundleVersion)
                .contains("org.slf4j.event;version=" + bundleVersion)
                .contains("org.slf4j.helpers;version=" + bundleVersion);
    }
}
