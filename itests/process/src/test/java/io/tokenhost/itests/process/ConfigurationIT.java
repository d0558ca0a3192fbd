package io.tokenhost.itests.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** conf/*.cfg → FileInstall → ConfigAdmin, checked through Gogo calling ConfigurationAdmin itself. */
class ConfigurationIT {

    private static final String SHOW_CONFIG = "cm = $.context service ($.context serviceReference"
            + " org.osgi.service.cm.ConfigurationAdmin) ;"
            + " configs = $cm listConfigurations \"(service.pid=io.tokenhost.it)\" ;"
            + " if { $configs } { each $configs { $it properties } } { echo \"no configuration\" }";

    @Test
    void aCfgFileCreatedAndEditedInConfReachesConfigAdmin() throws Exception {
        try (Installation installation = Installation.unpack("config")) {
            installation.startHeadless();
            installation.awaitReady();
            Path cfg = installation.home.resolve("conf/io.tokenhost.it.cfg");

            Files.writeString(cfg, "greeting = hello\n");
            awaitConfig(installation, "greeting=hello");

            Files.writeString(cfg, "greeting = bonjour\n");
            awaitConfig(installation, "greeting=bonjour");

            Files.delete(cfg);
            awaitConfig(installation, null);
        }
    }

    @Test
    void aCfgFileDeletedWhileTheHostIsDownIsNoLongerConfiguredAfterARestart() throws Exception {
        try (Installation installation = Installation.unpack("config-offline")) {
            Process host = installation.startHeadless();
            installation.awaitReady();
            Path cfg = installation.home.resolve("conf/io.tokenhost.it.cfg");
            Files.writeString(cfg, "greeting = hello\n");
            awaitConfig(installation, "greeting=hello");

            host.destroy();
            assertThat(host.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            Files.delete(cfg);
            installation.startHeadless();
            installation.awaitReady();

            awaitConfig(installation, null);
            assertThat(Installation.read(installation.log()))
                    .contains("deleting configuration io.tokenhost.it: its file");
        }
    }

    /** Waits until the configuration shows {@code expected}, or is gone when it is null. */
    private static void awaitConfig(Installation installation, String expected) throws Exception {
        Await.atMost(Duration.ofSeconds(30)).until("configuration io.tokenhost.it to show " + expected, () -> {
            Installation.Result r = installation.client(SHOW_CONFIG);
            assertThat(r.status()).as(r.stderr()).isZero();
            return r.stdout();
        }, shown -> expected == null ? shown.contains("no configuration") : shown.contains(expected));
    }
}
