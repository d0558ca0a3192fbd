package io.tokenhost.s3.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReceiverSettingsTest {

    static ReceiverSettings parse(Map<String, ?> properties) {
        return ReceiverSettings.parse(ConfigValues.of(properties, ReceiverConfig.class));
    }

    @Test
    void defaultsAreServiceS3MemoryOnlyAndProfileDefault() {
        assertThat(ConfigValues.declared(ReceiverConfig.class)).containsExactly(Map.entry("credentials-file", ""),
                Map.entry("profile", "default"), Map.entry("service.name", ""));
        assertThat(parse(Map.of())).isEqualTo(new ReceiverSettings("s3", Optional.empty(), "default"));
    }

    @Test
    void serviceNameFileAndProfileAreRead() {
        assertThat(parse(Map.of("felix.fileinstall.filename", "file:/th/conf/io.tokenhost.s3.receiver-lake.cfg",
                "credentials-file", "/var/aws/credentials", "profile", "lake")))
                .isEqualTo(new ReceiverSettings("s3.lake", Optional.of(Path.of("/var/aws/credentials")), "lake"));
    }

    @Test
    void everyDeclaredKeyIsRefusedNamingItAndTheRule() {
        Map<String, String> bad = Map.of("service.name", "bad name", "credentials-file", "relative/credentials",
                "profile", "two words");
        assertThat(bad.keySet()).isEqualTo(ConfigValues.declared(ReceiverConfig.class).keySet());
        bad.forEach((key, value) -> assertThatThrownBy(() -> parse(Map.of(key, value))).as(key)
                .isInstanceOfSatisfying(ConfigurationRefusedException.class, e -> assertThat(e.key()).isEqualTo(key))
                .hasMessageStartingWith(key + ": must ").hasMessageEndingWith("got '" + value + "'"));
    }
}
