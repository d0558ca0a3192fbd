package io.tokenhost.example.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.plugin.test.PluginTestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The example provider and receiver in a real host, through the plugin test harness, as a plugin
 * author's own test would run them: tokens obtained, at the receiver's owner-only file, plugins
 * healthy, no token bytes in any log.
 */
class ExamplePluginsIT {

    private static final Path JARS = Path.of(System.getProperty("tokenhost.plugin.jars", "target/plugin-jars"));

    @Test
    void tokensOfTheExampleProviderReachTheExampleReceiversFile() throws Exception {
        try (PluginTestHost host = PluginTestHost.unpack("examples")) {
            Path tokenFile = host.home().resolve("data/tokens/example.token");
            host.writeConfig("io.tokenhost.example.provider", Map.of("service.name", "example", "token.lifetime", "1h"));
            host.writeConfig("io.tokenhost.example.receiver", Map.of("service.name", "example", "file", tokenFile.toString()));
            host.start();
            host.dropPlugin(JARS.resolve("tokenhost-examples-receiver.jar"));
            host.dropPlugin(JARS.resolve("tokenhost-examples-provider.jar"));

            String fingerprint = host.awaitTokens("example");
            host.awaitDelivered("example", fingerprint);

            byte[] tokens = Files.readAllBytes(tokenFile);
            assertThat(fingerprint).isEqualTo(HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(tokens), 0, 6));
            assertThat(Files.getPosixFilePermissions(tokenFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            host.assertPluginsHealthy();
            host.assertNoSecretsInLogs(tokens);
        }
    }
}
