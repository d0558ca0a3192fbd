package io.tokenhost.itests.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A plugin whose activator never returns (the spinning-activator fixture), live and across a
 * restart: the host reports it with its stack, later plugins install and their tokens flow, SIGTERM
 * stays within 5 s, the next start comes up with the plugin quarantined, {@code token:release} starts
 * it again, and deleting its jar neither blocks FileInstall nor goes unnoticed (the thread it left);
 * a running plugin updated to the hanging build (restarted by Felix on FileInstall's thread) is
 * quarantined too, and FileInstall goes on.
 */
class HangingPluginIT {

    private static final Await AWAIT = Await.atMost(Duration.ofSeconds(30));
    private static final Path PLUGIN_JARS = Path.of(System.getProperty("tokenhost.plugin.jars", "target/plugin-jars"));
    private static final String SPINNING = "io.tokenhost.fixture.spinning";
    private static final String HUNG = "start() did not return within 2s (plugin.start-timeout)";

    @Test
    void aHangingActivatorNeitherBlocksLaterPluginsNorTheNextStart() throws Exception {
        try (Installation installation = Installation.unpack("hanging-plugin")) {
            Path tokenFile = installation.home.resolve("data/tokens/example.token");
            installation.writeConfig("io.tokenhost.manager", Map.of("plugin.start-timeout", "2s"));
            installation.writeConfig("io.tokenhost.example.receiver", Map.of("service.name", "example", "file", tokenFile.toString()));
            installation.dropPlugin(PLUGIN_JARS.resolve("tokenhost-itests-fixtures-spinning-activator.jar"), "spinning.jar");
            Process host = installation.startHeadless();
            installation.awaitReady();
            assertThat(host.info().arguments().orElseThrow()).as("the default heap").contains("-Xmx512m");

            // live: reported with the hanging thread's stack; later jars install and serve
            String plugins = AWAIT.until("the hung start reported", () -> installation.client("token:plugins").stdout(),
                    out -> out.contains(HUNG));
            assertThat(plugins).contains("STARTING").contains("SpinningActivator.start(SpinningActivator.java")
                    .contains("quarantined at the next start");
            installation.dropPlugin(PLUGIN_JARS.resolve("tokenhost-examples-provider.jar"), "example-provider.jar");
            installation.dropPlugin(PLUGIN_JARS.resolve("tokenhost-examples-receiver.jar"), "example-receiver.jar");
            AWAIT.until("tokens from the other plugins at the receiver", () -> Files.exists(tokenFile));
            Path quarantine = installation.home.resolve("data/plugin-quarantine.properties");
            assertThat(Files.readString(quarantine)).contains(SPINNING + "=");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(quarantine))).isEqualTo("rw-------");
            assertThat(errorLines(installation, HUNG)).as("hung start logged once").isEqualTo(1);

            long stopping = System.nanoTime();
            host.destroy(); // SIGTERM
            assertThat(host.waitFor(5, TimeUnit.SECONDS)).as("exited within 5 s of SIGTERM").isTrue();
            System.out.println("[figures] SIGTERM with a hung plugin -> exit: "
                    + Duration.ofNanos(System.nanoTime() - stopping).toMillis() + " ms");

            // restart with the jar still there: comes up, plugin quarantined, tokens flow
            Files.deleteIfExists(tokenFile); // the receiver withdraws it at stop
            installation.javaOpt("-Xmx300m");
            host = installation.startHeadless();
            Duration ready = installation.awaitReady();
            System.out.println("[figures] restart with a quarantined plugin -> console answers: " + ready.toMillis() + " ms");
            assertThat(host.info().arguments().orElseThrow()).as("JAVA_OPTS' heap replaces the default")
                    .contains("-Xmx300m").doesNotContain("-Xmx512m");
            plugins = installation.client("token:plugins").stdout();
            assertThat(plugins).contains("QUARANTINED").contains("release it with 'token:release " + SPINNING + "'");
            assertThat(installation.client("token:plugins", "--check").status()).isEqualTo(1);
            AWAIT.until("tokens at the receiver after the restart", () -> Files.exists(tokenFile));

            // released: started again (and hangs again)
            assertThat(installation.client("token:release", SPINNING).stdoutIfOk()).contains("Released " + SPINNING);
            AWAIT.until("the released plugin hung again", () -> installation.client("token:plugins").stdout(),
                    out -> out.contains(HUNG));

            // its jar deleted: FileInstall goes on (a later jar installs), the thread it left is reported
            Files.delete(installation.plugins().resolve("spinning.jar"));
            installation.dropPlugin(PLUGIN_JARS.resolve("tokenhost-itests-fixtures-unresolvable-bundle.jar"), "later.jar");
            plugins = AWAIT.until("a later jar installed after the hung plugin's jar was deleted",
                    () -> installation.client("token:plugins").stdout(),
                    out -> out.contains("later.jar") && out.contains("unresolved, missing") && out.contains("left a thread running"));
            assertThat(plugins).doesNotContain("spinning.jar")
                    .contains("uninstalled plugin " + SPINNING).contains("thread 'spinning-fixture-helper'");

            // a running plugin updated to the hanging build: Felix restarts it on FileInstall's own thread
            Path good = installation.dir.resolve("good-build.jar");
            writeBundle(good, SPINNING, "0.0.1");
            installation.dropPlugin(good, "spinning.jar");
            AWAIT.until("a good build of the plugin active", () -> row(installation, "spinning.jar"),
                    line -> line.contains(" ACTIVE"));
            installation.dropPlugin(PLUGIN_JARS.resolve("tokenhost-itests-fixtures-spinning-activator.jar"), "spinning.jar");
            AWAIT.until("the hanging update quarantined", () -> row(installation, "spinning.jar"),
                    line -> line.contains("QUARANTINED"));
            installation.dropPlugin(PLUGIN_JARS.resolve("tokenhost-itests-fixtures-missing-packages-bundle.jar"), "later2.jar");
            AWAIT.until("FileInstall goes on after the hanging update", () -> row(installation, "later2.jar"),
                    line -> line.contains("unresolved, missing"));
            assertThat(Installation.read(installation.log())).containsPattern(
                    "Stopped the hung start of plugin bundle \\[\\d+\\] because it ran on fileinstall-");
        }
    }

    /** The token:plugins row of one file ("" if none). */
    private static String row(Installation installation, String file) throws Exception {
        return installation.client("token:plugins").stdout().lines().filter(l -> l.startsWith(file + " "))
                .findFirst().orElse("");
    }

    private static void writeBundle(Path jar, String symbolicName, String version) throws Exception {
        java.util.jar.Manifest m = new java.util.jar.Manifest();
        java.util.jar.Attributes a = m.getMainAttributes();
        a.put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", version);
        try (java.io.OutputStream out = Files.newOutputStream(jar);
                java.util.jar.JarOutputStream j = new java.util.jar.JarOutputStream(out, m)) {
            j.flush();
        }
    }

    private static long errorLines(Installation installation, String text) throws Exception {
        return Installation.read(installation.log()).lines().filter(l -> l.contains(" ERROR ") && l.contains(text)).count();
    }
}
