package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenhost.plugin.test.PluginTestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * This plugin's bundle in a real Tokenhost host (the distribution, run as its own process by the
 * harness): its provider's tokens reach its receiver's file, the plugin is healthy, no token is in
 * any log. Runs in {@code mvn verify}, after the bundle is packaged.
 */
class PluginIT {

    @Test
    void tokensReachTheReceiver() throws Exception {
        try (PluginTestHost host = PluginTestHost.unpack("plugin-it")) {
            Path tokenFile = host.home().resolve("data/tokens/${service}.token");
            host.writeConfig(ProviderComponent.PID, Map.of("token.lifetime", "1h"));
            host.writeConfig(ReceiverComponent.PID, Map.of("file", tokenFile.toString()));
            host.start();
            host.dropPlugin(PluginTestHost.builtPlugin());

            String fingerprint = host.awaitTokens("${service}");
            host.awaitDelivered("${service}", fingerprint);

            byte[] tokens = Files.readAllBytes(tokenFile);
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(tokenFile));
            // token:status shows a fingerprint (SHA-256, first 6 bytes), never the tokens
            assertEquals(fingerprint, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tokens), 0, 6));
            host.assertPluginsHealthy();
            host.assertNoSecretsInLogs(tokens);
        }
    }
}
