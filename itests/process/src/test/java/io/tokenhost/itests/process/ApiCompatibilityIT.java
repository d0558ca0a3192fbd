package io.tokenhost.itests.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Plugins built against API 1.1, before the container, codec, listener and sink moved to
 * {@code io.tokenhost.api.distribution}, still resolve and serve in today's host: the example
 * provider and receiver exactly as built then (binaries in {@code itests/fixtures/api-1.1}).
 */
class ApiCompatibilityIT {

    private static final Path OLD_PLUGINS = Path.of(System.getProperty("tokenhost.api-1.1.plugins", "../fixtures/api-1.1"));

    @Test
    void examplePluginsBuiltAgainstApi11ResolveAndTokensFlow() throws Exception {
        Path provider = OLD_PLUGINS.resolve("example-provider-api-1.1.jar");
        Path receiver = OLD_PLUGINS.resolve("example-receiver-api-1.1.jar");
        assertThat(importsOf(provider)).isEqualTo("io.tokenhost.api;version=\"[1.1,2)\"");
        assertThat(importsOf(receiver)).startsWith("io.tokenhost.api;version=\"[1.1,2)\"");

        try (Installation installation = Installation.unpack("api-1.1")) {
            Path tokenFile = installation.home.resolve("data/tokens/example.token");
            installation.writeConfig("io.tokenhost.example.receiver", Map.of("service.name", "example", "file", tokenFile.toString()));
            installation.startHeadless();
            installation.awaitReady();
            installation.dropPlugin(receiver, "old-receiver.jar");
            installation.dropPlugin(provider, "old-provider.jar");

            Await.atMost(Duration.ofSeconds(30)).until("tokens from the 1.1 provider at the 1.1 receiver's file",
                    () -> Files.exists(tokenFile));
            String plugins = installation.client("token:plugins").stdoutIfOk();
            assertThat(plugins).containsPattern("old-provider.jar\\s+io.tokenhost.example.provider \\S+ \\[\\d+\\]\\s+ACTIVE\\s+-")
                    .containsPattern("old-receiver.jar\\s+io.tokenhost.example.receiver \\S+ \\[\\d+\\]\\s+ACTIVE\\s+-");
            assertThat(installation.client("token:status").stdoutIfOk()).containsPattern("\nexample\\s+VALID\\s");
        }
    }

    private static String importsOf(Path jar) throws Exception {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue("Import-Package");
        }
    }
}
