package io.tokenhost.hadoop.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.hadoop.common.HadoopConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderSettingsTest {

    @TempDir
    Path dir;

    static ProviderSettings parse(Map<String, ?> properties) {
        return ProviderSettings.parse(ConfigValues.of(properties, HadoopConfig.class));
    }

    @Test
    void keytabLoginWithFilesystemsRenewerAndProxyUser() {
        ProviderSettings s = parse(Map.of(
                "security.kerberos.login.principal", "svc@EXAMPLE.COM",
                "security.kerberos.login.keytab", "/etc/svc.keytab",
                "filesystems", " hdfs://nn1:8020 , hdfs://nn2:8020,",
                "renewer", "yarn",
                "proxy-user", "alice",
                "import-token-file", "/var/tokens/imported"));
        assertThat(s.principal()).contains("svc@EXAMPLE.COM");
        assertThat(s.keytab()).contains(Path.of("/etc/svc.keytab"));
        assertThat(s.filesystems()).containsExactly(URI.create("hdfs://nn1:8020"), URI.create("hdfs://nn2:8020"));
        assertThat(s.renewer()).contains("yarn");
        assertThat(s.proxyUser()).contains("alice");
        assertThat(s.importTokenFile()).contains(Path.of("/var/tokens/imported"));
        assertThat(s.kerberos()).isTrue();
    }

    @Test
    void flinkNameForFilesystemsIsAcceptedWhenFilesystemsIsNotSet() {
        assertThat(parse(Map.of("security.kerberos.access.hadoopFileSystems", "hdfs://nn3:8020")).filesystems())
                .containsExactly(URI.create("hdfs://nn3:8020"));
        assertThat(parse(Map.of("security.kerberos.access.hadoopFileSystems", "hdfs://nn3:8020",
                "filesystems", "hdfs://nn4:8020")).filesystems()).containsExactly(URI.create("hdfs://nn4:8020"));
        assertThatThrownBy(() -> parse(Map.of("security.kerberos.access.hadoopFileSystems", "/x")))
                .isInstanceOf(ConfigurationRefusedException.class)
                .hasMessageStartingWith("security.kerberos.access.hadoopFileSystems: must be comma-separated URIs")
                .hasMessageEndingWith("got '/x'");
    }

    @Test
    void defaultsAreDeclaredOnceAndMeanTheCurrentUserWithoutKerberos() {
        assertThat(ConfigValues.declared(HadoopConfig.class)).containsExactly(
                Map.entry("filesystems", ""),
                Map.entry("hadoop.conf.dir", ""),
                Map.entry("import-token-file", ""),
                Map.entry("proxy-user", ""),
                Map.entry("renewer", ""),
                Map.entry("security.kerberos.login.keytab", ""),
                Map.entry("security.kerberos.login.principal", ""),
                Map.entry("security.kerberos.login.ticket-cache", ""),
                Map.entry("security.kerberos.login.use-ticket-cache", "true"));
        ProviderSettings s = parse(Map.of());
        assertThat(s.kerberos()).isFalse();
        assertThat(s.useTicketCache()).isTrue();
        assertThat(s.filesystems()).isEmpty();
        assertThat(s.principal()).isEmpty();
        assertThat(s.renewer()).isEmpty();
        assertThat(s.client().confDir()).isEmpty();
        assertThat(s.client().overrides()).isEmpty();
    }

    @Test
    void everyDeclaredKeyIsRefusedNamingItAndTheRule() {
        Map<String, Map<String, String>> bad = Map.of(
                "security.kerberos.login.principal", Map.of("security.kerberos.login.keytab", "/k"),
                "security.kerberos.login.keytab", Map.of("security.kerberos.login.principal", "p",
                        "security.kerberos.login.use-ticket-cache", "false"),
                "security.kerberos.login.use-ticket-cache", Map.of("security.kerberos.login.use-ticket-cache", "maybe"),
                "security.kerberos.login.ticket-cache", Map.of("security.kerberos.login.ticket-cache", "/tmp/a\0b"),
                "hadoop.conf.dir", Map.of("hadoop.conf.dir", dir.resolve("missing").toString()),
                "filesystems", Map.of("filesystems", "hdfs://nn1:8020, /no/scheme"),
                "renewer", Map.of("renewer", "two words"),
                "proxy-user", Map.of("proxy-user", "two words"),
                "import-token-file", Map.of("import-token-file", "/tmp/a\0b"));
        assertThat(bad.keySet()).isEqualTo(ConfigValues.declared(HadoopConfig.class).keySet());
        bad.forEach((key, properties) -> assertThatThrownBy(() -> parse(properties)).as(key)
                .isInstanceOfSatisfying(ConfigurationRefusedException.class, e -> assertThat(e.key()).isEqualTo(key))
                .hasMessageStartingWith(key + ": must "));
        assertThatThrownBy(() -> parse(bad.get("filesystems"))).hasMessageEndingWith("got '/no/scheme'");
        assertThatThrownBy(() -> parse(bad.get("security.kerberos.login.use-ticket-cache")))
                .hasMessage("security.kerberos.login.use-ticket-cache: must be true or false, got 'maybe'");
    }
}
