package io.tokenhost.itests.process;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * conf/*.cfg → FileInstall → ConfigAdmin, checked through Gogo calling ConfigurationAdmin itself;
 * and the one reaction to a refused configuration, of the manager and of a plugin, as {@code
 * token:status} shows it.
 */
class ConfigurationIT {

    /** The example provider's row in token:status once it holds tokens. */
    private static final Pattern EXAMPLE_VALID = Pattern.compile("\nexample\\s+VALID\\s");
    private static final Path PLUGIN_JARS = Path.of(System.getProperty("tokenhost.plugin.jars", "target/plugin-jars"));

    private static final Await AWAIT = Await.atMost(Duration.ofSeconds(30));
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

    @Test
    void aRefusedPluginConfigurationIsShownWithBundlePidKeyAndRuleWhileTheHostKeepsServing() throws Exception {
        try (Installation installation = Installation.unpack("plugin-cfg")) {
            Path jar = installation.home.resolve("plugins/example-provider.jar");
            Files.copy(PLUGIN_JARS.resolve("tokenhost-examples-provider.jar"), jar);
            installation.startHeadless();
            installation.awaitReady();
            awaitStatus(installation, EXAMPLE_VALID.asPredicate(), "the example provider's tokens");
            Path cfg = installation.home.resolve("conf/io.tokenhost.example.provider.cfg");

            Files.writeString(cfg, "token.lifetime = soon\n");
            String refused = "Configuration io.tokenhost.example.provider of io.tokenhost.example.provider \\[\\d+\\]"
                    + " refused \\(previous settings in force\\): token.lifetime: must be a duration such as 500ms, 30s,"
                    + " 5m, 1h, 2d or PT30S, got 'soon'";
            awaitStatus(installation, status -> status.contains("refused"), "the refusal");
            assertThat(ok(installation, "token:status")).containsPattern(refused);
            assertThat(ok(installation, "token:obtain", "example")).contains("example", "VALID");
            assertThat(Installation.read(installation.log()))
                    .contains("Configuration io.tokenhost.example.provider refused: token.lifetime: must be");

            Files.writeString(cfg, "token.lifetime = 2h\n");
            awaitStatus(installation, status -> !status.contains("refused"), "the refusal to go once fixed");
            assertThat(ok(installation, "token:obtain", "example")).contains("example", "VALID");

            Files.writeString(cfg, "token.lifetime = soon\n");
            awaitStatus(installation, status -> status.contains("refused"), "the refusal again");
            Files.delete(jar);
            awaitStatus(installation, status -> !status.contains("refused"), "the refusal to go with its bundle");
        }
    }

    @Test
    void aPluginRefusedAtTheStartOffersNothingUntilItsFileIsFixed() throws Exception {
        try (Installation installation = Installation.unpack("plugin-cfg-start")) {
            Path cfg = installation.home.resolve("conf/io.tokenhost.example.provider.cfg");
            Files.writeString(cfg, "token.lifetime = soon\n");
            Files.copy(PLUGIN_JARS.resolve("tokenhost-examples-provider.jar"), installation.home.resolve("plugins/example-provider.jar"));
            installation.startHeadless();
            installation.awaitReady();

            String status = awaitStatus(installation, s -> s.contains("refused"), "the refusal");
            assertThat(status).containsPattern("Configuration io.tokenhost.example.provider of io.tokenhost.example.provider"
                    + " \\[\\d+\\] refused \\(not started\\): token.lifetime: must be a duration");
            assertThat(ok(installation, "token:providers")).isEqualTo("No providers.\n");

            Files.writeString(cfg, "token.lifetime = 2h\n");
            status = awaitStatus(installation, EXAMPLE_VALID.asPredicate(), "the fixed provider's tokens");
            assertThat(status).doesNotContain("refused");
        }
    }

    @Test
    void aManagerConfigurationRefusedAtTheStartKeepsTheManagerIdleAndTokenStatusSaysWhy() throws Exception {
        try (Installation installation = Installation.unpack("manager-cfg")) {
            Path cfg = installation.home.resolve("conf/io.tokenhost.manager.cfg");
            Files.writeString(cfg, "enabled = yes\n");
            Files.copy(PLUGIN_JARS.resolve("tokenhost-examples-provider.jar"), installation.home.resolve("plugins/example-provider.jar"));
            installation.startHeadless();
            installation.awaitReady();

            String status = awaitStatus(installation, s -> s.contains("example"), "the example provider");
            assertThat(status).startsWith("Container version 0; the manager is NOT STARTED: its configuration is refused\n")
                    .containsPattern("Configuration io.tokenhost.manager of io.tokenhost.host \\[\\d+\\] refused"
                            + " \\(not started\\): enabled: must be true or false, got 'yes'")
                    .containsPattern("example\\s+DISABLED");

            Files.writeString(cfg, "enabled = true\n");
            status = awaitStatus(installation, EXAMPLE_VALID.asPredicate(), "the manager to start and obtain");
            assertThat(status).doesNotContain("refused", "NOT STARTED");
            assertThat(ok(installation, "token:config")).contains("enabled=true", "renewal.time-ratio=0.75");
        }
    }

    private static String awaitStatus(Installation installation, Predicate<String> condition, String what) throws Exception {
        return AWAIT.until("token:status to show " + what, () -> ok(installation, "token:status"), condition);
    }

    private static String ok(Installation installation, String... command) throws Exception {
        Installation.Result result = installation.client(command);
        assertThat(result.status()).as(String.join(" ", command) + ": " + result.stderr()).isZero();
        return result.stdout();
    }

    /** Waits until the configuration shows {@code expected}, or is gone when it is null. */
    private static void awaitConfig(Installation installation, String expected) throws Exception {
        AWAIT.until("configuration io.tokenhost.it to show " + (expected == null ? "no configuration" : expected),
                () -> ok(installation, SHOW_CONFIG),
                shown -> expected == null ? shown.contains("no configuration") : shown.contains(expected));
    }
}
