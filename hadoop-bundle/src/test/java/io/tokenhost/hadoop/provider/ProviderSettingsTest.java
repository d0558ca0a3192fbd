package io.tokenhost.hadoop.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.hadoop.common.HadoopConfigs;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderSettingsTest {

    @Test
    void keytabLoginWithFilesystemsRenewerAndProxyUser() {
        ProviderSettings s = ProviderSettings.parse(Map.of(
                "security.kerberos.login.principal", "svc@EXAMPLE.COM",
                "security.kerberos.login.keytab", "/etc/svc.keytab",
                "filesystems", " hdfs://nn1:8020 , hdfs://nn2:8020,",
                "renewer", "yarn",
                "proxy-user", "alice"));
        assertThat(s.principal()).contains("svc@EXAMPLE.COM");
        assertThat(s.keytab()).contains(Path.of("/etc/svc.keytab"));
        assertThat(s.filesystems()).containsExactly(URI.create("hdfs://nn1:8020"), URI.create("hdfs://nn2:8020"));
        assertThat(s.renewer()).contains("yarn");
        assertThat(s.proxyUser()).contains("alice");
        assertThat(s.kerberos()).isTrue();
    }

    @Test
    void flinkNameForFilesystemsIsAccepted() {
        assertThat(ProviderSettings.parse(Map.of("security.kerberos.access.hadoopFileSystems", "hdfs://nn3:8020"))
                .filesystems()).containsExactly(URI.create("hdfs://nn3:8020"));
        assertThatThrownBy(() -> ProviderSettings.parse(Map.of("security.kerberos.access.hadoopFileSystems", "/x")))
                .hasMessageContaining("security.kerberos.access.hadoopFileSystems");
    }

    @Test
    void nothingConfiguredMeansCurrentUserWithoutKerberos() {
        ProviderSettings s = ProviderSettings.parse(Map.of());
        assertThat(s.kerberos()).isFalse();
        assertThat(s.useTicketCache()).isTrue();
        assertThat(s.filesystems()).isEmpty();
    }

    @Test
    void errorsNameTheKey() {
        assertThatThrownBy(() -> ProviderSettings.parse(Map.of("security.kerberos.login.keytab", "/k")))
                .hasMessageContaining("security.kerberos.login.principal");
        assertThatThrownBy(() -> ProviderSettings.parse(Map.of("security.kerberos.login.principal", "p",
                "security.kerberos.login.use-ticket-cache", "false")))
                .hasMessageContaining("security.kerberos.login.keytab");
        assertThatThrownBy(() -> ProviderSettings.parse(Map.of("security.kerberos.login.use-ticket-cache", "maybe")))
                .hasMessageContaining("security.kerberos.login.use-ticket-cache").hasMessageContaining("maybe");
        assertThatThrownBy(() -> ProviderSettings.parse(Map.of("filesystems", "nn1:8020 x")))
                .hasMessageContaining("filesystems");
        assertThatThrownBy(() -> ProviderSettings.parse(Map.of("filesystems", "/no/scheme")))
                .hasMessageContaining("filesystems").hasMessageContaining("no scheme");
    }

    @Test
    void inlineHadoopKeysLoseTheirPrefixButNotTheConfDir() {
        assertThat(HadoopConfigs.inlineOverrides(Map.of("hadoop.fs.defaultFS", "hdfs://nn:8020 ",
                "hadoop.conf.dir", "/etc/hadoop", "renewer", "x")))
                .containsExactly(Map.entry("fs.defaultFS", "hdfs://nn:8020"));
    }
}
