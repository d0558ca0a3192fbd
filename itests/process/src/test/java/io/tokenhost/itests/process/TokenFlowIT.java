package io.tokenhost.itests.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import io.tokenhost.plugin.test.PluginTestHost;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tokens end to end through the assembled distribution, as real processes: plugins dropped into
 * and deleted from {@code plugins/}, the shell commands through {@code bin/tokenhost client}, bad
 * plugins named, the manager reconfigured live, and no token bytes in any log.
 */
class TokenFlowIT {

    private static final Await AWAIT = Await.atMost(Duration.ofSeconds(30));
    private static final Path PLUGIN_JARS = Path.of(System.getProperty("tokenhost.plugin.jars", "target/plugin-jars"));
    private static final Path API_11_PLUGINS = Path.of(System.getProperty("tokenhost.api-1.1.plugins", "../fixtures/api-1.1"));

    /** Written with the plugin test harness (tokenhost-plugin-test), as a plugin author's test would be. */
    @Test
    void aProviderDroppedIntoPluginsReachesTheReceiverAndIsWithdrawnWhenDeleted() throws Exception {
        try (PluginTestHost host = PluginTestHost.unpack("flow")) {
            Path tokenFile = host.home().resolve("data/tokens/example.token");
            host.writeConfig("io.tokenhost.example.receiver", Map.of("service.name", "example", "file", tokenFile.toString()));
            host.start();

            host.dropPlugin(PLUGIN_JARS.resolve("tokenhost-examples-receiver.jar"));
            host.dropPlugin(PLUGIN_JARS.resolve("tokenhost-examples-provider.jar"));
            String fingerprint = host.awaitTokens("example");
            host.awaitDelivered("example", fingerprint);
            byte[] first = Files.readAllBytes(tokenFile);
            assertThat(fingerprint(first)).isEqualTo(fingerprint);
            assertThat(Files.getPosixFilePermissions(tokenFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

            assertThat(host.command("token:status")).contains("example", "VALID", fingerprint, "(32 B)")
                    .doesNotContain("Warning");
            assertThat(host.command("token:providers")).contains("example", "io.tokenhost.example.provider", "VALID", "true");
            String plugins = host.command("token:plugins");
            assertThat(plugins).containsPattern("tokenhost-examples-provider.jar\\s+io.tokenhost.example.provider \\S+ \\[\\d+\\]\\s+ACTIVE\\s+-");
            assertThat(plugins).containsPattern("tokenhost-examples-receiver.jar\\s+io.tokenhost.example.receiver \\S+ \\[\\d+\\]\\s+ACTIVE\\s+-");
            host.assertPluginsHealthy();

            String obtained = host.command("token:obtain", "example");
            assertThat(obtained).contains("example", "VALID");
            AWAIT.until("new tokens after token:obtain",
                    () -> !java.util.Arrays.equals(Files.readAllBytes(tokenFile), first));
            byte[] second = Files.readAllBytes(tokenFile);
            assertThat(obtained).contains(fingerprint(second));

            host.removePlugin("tokenhost-examples-provider.jar");
            AWAIT.until("tokens withdrawn from the receiver", () -> !Files.exists(tokenFile));
            assertThat(host.command("token:providers")).isEqualTo("No providers.\n");
            String status = host.command("token:status");
            assertThat(status).doesNotContain("VALID").contains("Warning: receiver of service 'example'"
                    + " (io.tokenhost.example.receiver", "has no provider");
            Installation.Result check = host.run("token:plugins", "--check");
            assertThat(check.status()).as("token:plugins --check with a receiver nothing serves").isEqualTo(1);
            assertThat(check.stdout() + check.stderr()).contains("0 plugin(s) not serving, 1 warning(s)");

            host.assertNoSecretsInLogs(first, second);
            assertThat(Installation.read(host.installation().log())).contains("Obtained tokens for 'example'");
        }
    }

    @Test
    void badPluginsAreNamedByTokenPluginsOnceInTheLogAndTheHostKeepsServing() throws Exception {
        try (Installation installation = Installation.unpack("bad")) {
            Path tokenFile = startWithExamplePlugins(installation);

            Path corrupt = installation.dir.resolve("corrupt.jar");
            Files.write(corrupt, "PK\u0003\u0004 this is not really a zip".getBytes(StandardCharsets.UTF_8));
            installation.dropPlugin(corrupt, "corrupt.jar");
            drop(installation, "tokenhost-itests-fixtures-broken-jars.jar", "plain.jar");
            drop(installation, "tokenhost-itests-fixtures-unresolvable-bundle.jar", "unresolvable.jar");
            drop(installation, "tokenhost-itests-fixtures-failing-provider.jar", "failing.jar");
            drop(installation, "tokenhost-itests-fixtures-wrapped-error-provider.jar", "wrapped.jar");
            drop(installation, "tokenhost-itests-fixtures-missing-packages-bundle.jar", "kotlin-without-stdlib.jar");
            // an older build of the example provider next to the current one: the same symbolic name twice
            installation.dropPlugin(API_11_PLUGINS.resolve("example-provider-api-1.1.jar"), "example-provider-old.jar");
            // entries that are no regular files: a link to nothing is named and logged once; a directory only listed
            Path pluginsDir = installation.plugins();
            Files.createSymbolicLink(pluginsDir.resolve("gone.jar"), installation.dir.resolve("no-such-file.jar"));
            Files.createDirectory(pluginsDir.resolve("extras"));

            AWAIT.until("token:plugins naming every bad plugin", () -> {
                String plugins = installation.client("token:plugins").stdout();
                return plugins.contains("corrupt jar") && plugins.contains("not an OSGi bundle")
                        && plugins.contains("org.example.missing") && plugins.contains("fixture activation failure")
                        && plugins.contains("kotlin.* (18)") && plugins.contains("NoClassDefFoundError")
                        && plugins.contains("installed 2 times");
            });
            String plugins = ok(installation, "token:plugins");
            System.out.println("token:plugins with bad plugins:\n" + plugins);
            assertThat(plugins).containsPattern("corrupt.jar\\s+-\\s+NOT INSTALLED\\s+corrupt jar");
            assertThat(plugins).containsPattern("gone.jar\\s+-\\s+IGNORED\\s+not a regular file \\(a link to nothing\\)");
            assertThat(plugins).containsPattern("extras\\s+-\\s+IGNORED\\s+a directory \\(not looked into\\)");
            assertThat(plugins).containsPattern("plain.jar\\s+-\\s+NOT INSTALLED\\s+not an OSGi bundle: its manifest has no Bundle-SymbolicName");
            assertThat(plugins).containsPattern("unresolvable.jar\\s+\\S+ \\S+ \\[\\d+\\]\\s+INSTALLED\\s+unresolved, missing osgi.wiring.package .*org.example.missing");
            assertThat(plugins).containsPattern("failing.jar\\s+\\S+ \\S+ \\[\\d+\\]\\s+ACTIVE\\s+component \\S+ failed to activate: .*fixture activation failure");
            // the root cause, not the InvocationTargetException around it
            assertThat(plugins).containsPattern("wrapped.jar\\s+\\S+ \\S+ \\[\\d+\\]\\s+ACTIVE\\s+component \\S+ failed to activate:"
                    + " java.lang.NoClassDefFoundError: kotlin/jvm/internal/Intrinsics \\(wrapped in \\S+\\)");
            // 18 kotlin packages are one entry; the one okio package is shown in full
            assertThat(plugins).containsPattern("kotlin-without-stdlib.jar\\s+\\S+ \\S+ \\[\\d+\\]\\s+INSTALLED\\s+unresolved, missing"
                    + " osgi.wiring.package kotlin.\\* \\(18\\); osgi.wiring.package \\(&\\(osgi.wiring.package=okio\\)");
            assertThat(plugins).contains("Warning: io.tokenhost.example.provider is installed 2 times: ",
                    "from plugins/example-provider.jar", "from plugins/example-provider-old.jar");
            assertThat(installation.client("token:status").stdout()).contains("Warning: io.tokenhost.example.provider is installed 2 times");
            // the plain command reports; --check fails, for scripts (bin/tokenhost client exits 1)
            Installation.Result check = installation.client("token:plugins", "--check");
            assertThat(check.status()).isEqualTo(1);
            assertThat(check.stdout() + check.stderr()).contains("check failed: 6 plugin(s) not serving, 1 warning(s)",
                    "kotlin.* (18)");

            // the others keep working
            assertThat(ok(installation, "token:obtain", "example")).contains("VALID");
            assertThat(ok(installation, "token:status")).contains("example", "VALID");
            assertThat(Files.exists(tokenFile)).isTrue();

            // several more scans: each reported once, never again
            String[] bad = {"corrupt.jar", "plain.jar", "unresolvable.jar", "failing.jar", "wrapped.jar",
                "kotlin-without-stdlib.jar"};
            Await.holdsFor(Duration.ofSeconds(3), "every bad plugin logged at most once over several scans", () -> {
                String now = Installation.read(installation.log());
                return Arrays.stream(bad).allMatch(file -> count(now, "Plugin " + file + " is not serving") <= 1)
                        && count(now, "Ignoring plugins/gone.jar: not a regular file (a link to nothing)") <= 1;
            });
            String log = Installation.read(installation.log());
            for (String file : bad) {
                assertThat(count(log, "Plugin " + file + " is not serving")).as(file + " in the log").isEqualTo(1);
            }
            assertThat(count(log, "Ignoring plugins/gone.jar: not a regular file (a link to nothing)")).isEqualTo(1);
            assertThat(log).doesNotContain("plugins/extras");
            assertThat(installation.client("lb").status()).isZero();
        }
    }

    @Test
    void managerConfigurationAppliesLiveAndABadValueIsRefusedNamingTheKey() throws Exception {
        try (Installation installation = Installation.unpack("cfg")) {
            Path tokenFile = startWithExamplePlugins(installation);
            Path cfg = installation.home.resolve("conf/io.tokenhost.manager.cfg");

            Files.writeString(cfg, "renewal.time-ratio=0.5\nprovider.example.enabled=false\n");
            AWAIT.until("new settings",
                    () -> ok(installation, "token:config").contains("provider.example.enabled=false"));
            assertThat(ok(installation, "token:config")).contains("renewal.time-ratio=0.5");
            AWAIT.until("tokens of the disabled provider withdrawn", () -> !Files.exists(tokenFile));
            assertThat(ok(installation, "token:providers")).contains("DISABLED", "false");

            Files.writeString(cfg, "renewal.time-ratio=2\n");
            AWAIT.until("the bad value refused", () -> ok(installation, "token:status").contains("refused"));
            assertThat(ok(installation, "token:status")).contains(
                    "renewal.time-ratio: must be a number strictly between 0 and 1, got '2'");
            assertThat(ok(installation, "token:config")).contains("renewal.time-ratio=0.5", "provider.example.enabled=false");
            assertThat(Installation.read(installation.log())).contains("Configuration io.tokenhost.manager refused");

            Files.writeString(cfg, "renewal.time-ratio=0.8\n");
            AWAIT.until("tokens again once the provider is enabled", () -> Files.exists(tokenFile));
            assertThat(ok(installation, "token:status")).doesNotContain("refused");
        }
    }

    /** Starts a host whose plugins/ holds the example provider and receiver before the first scan. */
    private static Path startWithExamplePlugins(Installation installation) throws Exception {
        Path tokenFile = configureReceiver(installation);
        Files.copy(PLUGIN_JARS.resolve("tokenhost-examples-receiver.jar"), installation.home.resolve("plugins/example-receiver.jar"));
        Files.copy(PLUGIN_JARS.resolve("tokenhost-examples-provider.jar"), installation.home.resolve("plugins/example-provider.jar"));
        installation.startHeadless();
        installation.awaitReady();
        AWAIT.until("tokens at the receiver's file", () -> Files.exists(tokenFile));
        return tokenFile;
    }

    private static Path configureReceiver(Installation installation) throws Exception {
        Path tokenFile = installation.home.resolve("data/tokens/example.token");
        Files.writeString(installation.home.resolve("conf/io.tokenhost.example.receiver.cfg"),
                "service.name=example\nfile=" + tokenFile + "\n");
        return tokenFile;
    }

    /** Copies a fixture jar in the way an operator should: under a temporary name, then renamed. */
    private static void drop(Installation installation, String fixture, String name) throws Exception {
        installation.dropPlugin(PLUGIN_JARS.resolve(fixture), name);
    }

    private static String ok(Installation installation, String... command) throws Exception {
        Installation.Result result = installation.client(command);
        assertThat(result.status()).as(String.join(" ", command) + ": " + result.stderr()).isZero();
        return result.stdout();
    }

    private static String fingerprint(byte[] tokens) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tokens), 0, 6);
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
