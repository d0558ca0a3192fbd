package io.tokenhost.hadoop.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceiverSettingsTest {

    static ReceiverSettings parse(Map<String, ?> properties) {
        return ReceiverSettings.parse(ConfigValues.of(properties, ReceiverConfig.class));
    }

    @Test
    void defaultsAreNoFileAndInstallInProcess() {
        assertThat(ConfigValues.declared(ReceiverConfig.class))
                .containsExactly(Map.entry("install-in-process", "true"), Map.entry("services", "hadoopfs"),
                        Map.entry("token-file", ""));
        assertThat(parse(Map.of())).isEqualTo(new ReceiverSettings(java.util.Optional.empty(), true, List.of("hadoopfs")));
    }

    @Test
    void setValuesAreRead() {
        ReceiverSettings s = parse(Map.of("token-file", " /var/tokens/hadoop.token ", "install-in-process", "FALSE"));
        assertThat(s.tokenFile()).contains(Path.of("/var/tokens/hadoop.token"));
        assertThat(s.installInProcess()).isFalse();
        assertThat(parse(Map.of("services", " hadoopfs , hadoopfs.cluster2,hadoopfs ")).services())
                .containsExactly("hadoopfs", "hadoopfs.cluster2");
    }

    @Test
    void servicesMustBeServiceNames() {
        assertThatThrownBy(() -> parse(Map.of("services", " , ")))
                .hasMessage("services: must name at least one service, e.g. hadoopfs, got ','");
        assertThatThrownBy(() -> parse(Map.of("services", "hadoopfs,two words")))
                .hasMessageStartingWith("services: must be comma-separated service names (");
    }

    @Test
    void everyDeclaredKeyIsRefusedNamingItAndTheRule() {
        Map<String, String> bad = Map.of("token-file", "/tmp/a\0b", "install-in-process", "yes", "services", "a b");
        assertThat(bad.keySet()).isEqualTo(ConfigValues.declared(ReceiverConfig.class).keySet());
        bad.forEach((key, value) -> assertThatThrownBy(() -> parse(Map.of(key, value))).as(key)
                .isInstanceOfSatisfying(ConfigurationRefusedException.class, e -> assertThat(e.key()).isEqualTo(key))
                .hasMessageStartingWith(key + ": must "));
    }
}
