package io.tokenhost.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsSettingsTest {

    @TempDir
    Path home;

    private MetricsSettings parse(Map<String, ?> properties) throws ConfigurationRefusedException {
        return MetricsSettings.parse(ConfigValues.of(properties, MetricsConfig.class), home);
    }

    @Test
    void defaultsServePlainHttpOnLocalhost9464() throws Exception {
        MetricsSettings settings = parse(Map.of());
        assertThat(settings).isEqualTo(new MetricsSettings(true, "127.0.0.1", 9464, java.util.Optional.empty()));
    }

    @Test
    void badValuesAndUnknownKeysAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> parse(Map.of("port", "70000"))).isInstanceOf(ConfigurationRefusedException.class)
                .hasMessageStartingWith("port: must be a whole number from 0 to 65535");
        assertThatThrownBy(() -> parse(Map.of("enabled", "yes"))).hasMessageStartingWith("enabled: must be true or false");
        assertThatThrownBy(() -> parse(Map.of("prot", "9000"))).hasMessageStartingWith("prot: is not a key of"
                + " io.tokenhost.metrics; known keys: enabled, host, port, tls.ca, tls.cert, tls.key");
        assertThatThrownBy(() -> parse(Map.of("tls.cert", "c.pem"))).hasMessageStartingWith("tls.key: must be set"
                + " together with tls.cert");
        assertThatThrownBy(() -> parse(Map.of("tls.cert", "c.pem", "tls.key", "k.pem")))
                .hasMessageStartingWith("tls.cert: must name a readable file");
    }

    /**
     * DS adds {@code <reference>.target} to the component's properties for every reference with a
     * filter: those keys are the component's own, not typos (a real host refused the whole
     * configuration before they were known). Read from the descriptor bnd generated.
     */
    @Test
    void theTargetPropertiesDsAddsAreKnownKeys() throws Exception {
        String descriptor = Files.readString(Path.of("target/classes/OSGI-INF/io.tokenhost.metrics.MetricsComponent.xml"));
        java.util.regex.Matcher reference = java.util.regex.Pattern.compile("<reference name=\"([^\"]+)\"[^>]*"
                + " target=\"([^\"]+)\"").matcher(descriptor);
        int targets = 0;
        while (reference.find()) {
            parse(Map.of(reference.group(1) + ".target", reference.group(2)));
            targets++;
        }
        assertThat(targets).as("references with a target filter in the descriptor").isEqualTo(1);
    }

    @Test
    void aKeyOthersCanReadIsRefused() throws Exception {
        Path cert = Files.writeString(home.resolve("c.pem"), "x");
        Path key = Files.writeString(home.resolve("k.pem"), "x");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> parse(Map.of("tls.cert", cert.toString(), "tls.key", "k.pem")))
                .hasMessageStartingWith("tls.key: the private key file must be readable by its owner only");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertThat(parse(Map.of("tls.cert", cert.toString(), "tls.key", "k.pem")).tls()).isPresent();
    }

    @Test
    void theReadmeAndDocsListEveryDeclaredKeyWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("../../README.md"));
        String docs = Files.readString(Path.of("../../docs/metrics.md"));
        ConfigValues.declared(MetricsConfig.class).forEach((key, value) -> {
            String row = "| `" + key + "` | " + (value.isEmpty() ? "(none)" : "`" + value + "`") + " |";
            assertThat(readme).as("README: " + key).contains(row);
            assertThat(docs).as("docs/metrics.md: " + key).contains(row);
        });
    }
}
