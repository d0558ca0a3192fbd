package io.tokenhost.itests.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.TokenFingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.inject.Inject;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.ConfigurationAdmin;

/** The two example plugins together, configured through Config Admin as conf/*.cfg would. */
public class ExamplePluginsIT extends HostTestBase {

    @Inject
    private ConfigurationAdmin configAdmin;

    @Test
    public void theExampleReceiverKeepsTheProvidersTokensInAnOwnerOnlyFile() throws Exception {
        Path file = Files.createTempDirectory(Path.of("target"), "receiver").toAbsolutePath().resolve("example.tokens");
        Dictionary<String, Object> settings = new Hashtable<>();
        settings.put("service.name", "tokens-to-file");
        settings.put("file", file.toString());
        configAdmin.getConfiguration("io.tokenhost.example.receiver", "?").update(settings);
        Dictionary<String, Object> providerSettings = new Hashtable<>();
        providerSettings.put("service.name", "tokens-to-file");
        providerSettings.put("token.lifetime", "5m");
        configAdmin.getConfiguration("io.tokenhost.example.provider", "?").update(providerSettings);

        Fixtures.installAndStart(context, "example-receiver");
        Bundle provider = Fixtures.installAndStart(context, "example-provider");

        AWAIT.until("the token file " + file, () -> Files.isRegularFile(file));
        byte[] written = Files.readAllBytes(file);
        assertThat(written).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String fingerprint = AWAIT.value("the host's fingerprint of 'tokens-to-file'",
                () -> status.service("tokens-to-file").flatMap(s -> s.fingerprint()));
        assertThat(fingerprint).isEqualTo(TokenFingerprint.of(written));

        provider.uninstall();

        AWAIT.until("the token file to be deleted", () -> !Files.exists(file));
    }
}
