package io.tokenhost.itests.osgi;

import static org.junit.Assert.assertEquals;

import io.tokenhost.api.TokenFingerprint;
import io.tokenhost.api.TokenStatusView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/** The two example plugins together, configured through Config Admin as conf/*.cfg would. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ExamplePluginsIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private TokenStatusView status;

    @Configuration
    public Option[] config() {
        return TokenhostOptions.withHost();
    }

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

        Await.until("the token file " + file, () -> Files.isRegularFile(file));
        byte[] written = Files.readAllBytes(file);
        assertEquals(32, written.length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(TokenFingerprint.of(written), Await.value("the host's fingerprint of 'tokens-to-file'",
                () -> status.service("tokens-to-file").flatMap(s -> s.fingerprint())));

        provider.uninstall();

        Await.until("the token file to be deleted", () -> !Files.exists(file));
    }
}
