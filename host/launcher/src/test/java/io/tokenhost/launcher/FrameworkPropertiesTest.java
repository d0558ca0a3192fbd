package io.tokenhost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class FrameworkPropertiesTest {

    private final Home home = new Home(Path.of("/opt/th/./x/.."));

    @Test
    void pathsAreAbsoluteAndUnderTheHome() {
        Map<String, Object> p = FrameworkProperties.of(home, Mode.HEADLESS);

        assertThat(p).containsEntry("tokenhost.home", "/opt/th")
                .containsEntry("tokenhost.plugins.dir", "/opt/th/plugins")
                .containsEntry("tokenhost.console.socket", "/opt/th/run/console.sock")
                .containsEntry("org.osgi.framework.storage", "/opt/th/data/felix-cache")
                .containsEntry("org.osgi.framework.storage.clean", "none")
                .containsEntry("felix.fileinstall.dir", "/opt/th/plugins,/opt/th/conf")
                .containsEntry("felix.fileinstall.poll", "250")
                .containsEntry("felix.fileinstall.noInitialDelay", "true")
                .containsEntry("felix.fileinstall.bundles.new.start", "true");
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
