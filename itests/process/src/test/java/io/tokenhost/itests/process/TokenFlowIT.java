package io.tokenhost.itests.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Tokens end to end through the assembled distribution, as real processes: plugins dropped into
 * and deleted from {@code plugins/}, the shell commands through {@code bin/tokenhost client}, bad
 * plugins named, the manager reconfigured live, and no token bytes in any log.
 */
class TokenFlowIT {

    private static final Await AWAIT = Await.atMost(Duration.ofSeconds(30));
    private static final Path PLUGIN_JARS = Path.of(System.getProperty("tokenhost.plugin.jars", "target/plugin-jars"));

    @Test
    void aProviderDroppedIntoPluginsReachesTheReceiverAndIsWithdrawnWhenDeleted() throws Exception {
        try (Installation installation = Installation.unpack("flow")) {
            Path tokenFile = configureReceiver(installation);
            installation.startHeadless();
            installation.awaitReady();

            drop(installation, "tokenhost-examples-receiver.jar", "example-receiver.jar");
            drop(installation, "tokenhost-examples-provider.jar", "example-provider.jar");
            AWAIT.until("tokens at the receiver's file", () -> Files.exists(tokenFile));
            Set<byte[]> seen = new java.util.HashSet<>();
            byte[] first = Files.readAllBytes(tokenFile);
            seen.add(first);
            assertThat(Files.getPosixFilePermissions(tokenFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

            String status = ok(installation, "token:status");
            assertThat(status).contains("example", "VALID", fingerprint(first), "(32 B)");
            assertThat(ok(installation, "token:providers")).contains("example", "io.tokenhost.example.provider", "VALID", "true");
            AWAIT.until("receiver status with the fingerprint",
                    () -> ok(installation, "token:receivers").contains(fingerprint(first)));
            String plugins = ok(installation, "token:plugins");
            assertThat(plugins).containsPattern("example-provider.jar\\s+io.tokenhost.example.provider \\S+ \\[\\d+\\]\\s+ACTIVE\\s+-");
            assertThat(plugins).containsPattern("example-receiver.jar\\s+io.tokenhost.example.receiver \\S+ \\[\\d+\\]\\s+ACTIVE\\s+-");

            String obtained = ok(installation, "token:obtain", "example");
            assertThat(obtained).contains("example", "VALID");
            AWAIT.until("new tokens after token:obtain",
                    () -> !java.util.Arrays.equals(Files.readAllBytes(tokenFile), first));
            byte[] second = Files.readAllBytes(tokenFile);
            seen.add(second);
            assertThat(obtained).contains(fingerprint(second));

            Files.delete(installation.home.resolve("plugins/example-provider.jar"));
            AWAIT.until("tokens withdrawn from the receiver", () -> !Files.exists(tokenFile));
            assertThat(ok(installation, "token:providers")).isEqualTo("No providers.\n");
            assertThat(ok(installation, "token:status")).doesNotContain("example");

            assertNoTokenBytesIn(installation, seen);
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

            AWAIT.until("token:plugins naming every bad plugin", () -> {
                String plugins = ok(installation, "token:plugins");
                return plugins.contains("corrupt jar") && plugins.contains("not an OSGi bundle")
                        && plugins.contains("org.example.missing") && plugins.contains("fixture activation failure");
            });
            String plugins = ok(installation, "token:plugins");
            assertThat(plugins).containsPattern("corrupt.jar\\s+-\\s+NOT INSTALLED\\s+corrupt jar");
            assertThat(plugins).containsPattern("plain.jar\\s+-\\s+NOT INSTALLED\\s+not an OSGi bundle: its manifest has no Bundle-SymbolicName");
            assertThat(plugins).containsPattern("unresolvable.jar\\s+\\S+ \\S+ \\[\\d+\\]\\s+INSTALLED\\s+unresolved, missing osgi.wiring.package .*org.example.missing");
            assertThat(plugins).containsPattern("failing.jar\\s+\\S+ \\S+ \\[\\d+\\]\\s+ACTIVE\\s+component \\S+ failed to activate: .*fixture activation failure");

            // the others keep working
            assertThat(ok(installation, "token:obtain", "example")).contains("VALID");
            assertThat(ok(installation, "token:status")).contains("example", "VALID");
            assertThat(Files.exists(tokenFile)).isTrue();

            Thread.sleep(3000); // several more scans: still reported only once
            String log = Installation.read(installation.log());
            for (String file : new String[] {"corrupt.jar", "plain.jar", "unresolvable.jar", "failing.jar"}) {
                assertThat(count(log, "Plugin " + file + " is not serving")).as(file + " in the log").isEqualTo(1);
            }
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

    /** Neither the host's log nor its console output holds the tokens, in hex or base64. */
    private static void assertNoTokenBytesIn(Installation installation, Set<byte[]> tokens) throws Exception {
        String everything = Installation.read(installation.log()) + Installation.read(installation.hostOutput());
        Set<String> forms = new LinkedHashSet<>();
        for (byte[] token : tokens) {
            forms.add(HexFormat.of().formatHex(token));
            forms.add(HexFormat.of().withUpperCase().formatHex(token));
            forms.add(Base64.getEncoder().encodeToString(token));
            forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(token));
        }
        for (String form : forms) {
            assertThat(everything).doesNotContain(form);
        }
        assertThat(everything).contains("Obtained tokens for 'example'");
    }
}
