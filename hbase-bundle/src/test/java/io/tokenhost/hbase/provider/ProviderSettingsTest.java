package io.tokenhost.hbase.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.hbase.common.HBaseConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderSettingsTest {

    static ProviderSettings parse(Map<String, ?> properties) {
        return ProviderSettings.parse(ConfigValues.of(properties, HBaseConfig.class));
    }

    @Test
    void keytabLoginQuorumPassThroughAndProxyUser() {
        ProviderSettings s = parse(Map.of(
                "security.kerberos.login.principal", "svc@EXAMPLE.COM",
                "security.kerberos.login.keytab", "/etc/svc.keytab",
                "hbase.zookeeper.quorum", "zk1,zk2",
                "hbase.zookeeper.property.clientPort", "2182",
                "zookeeper.znode.parent", "/hbase-secure",
                "proxy-user", "alice"));
        assertThat(s.principal()).contains("svc@EXAMPLE.COM");
        assertThat(s.keytab()).contains(Path.of("/etc/svc.keytab"));
        assertThat(s.proxyUser()).contains("alice");
        assertThat(s.kerberos()).isTrue();
        assertThat(s.client().overrides()).containsExactly(
                Map.entry("hbase.zookeeper.property.clientPort", "2182"),
                Map.entry("hbase.zookeeper.quorum", "zk1,zk2"),
                Map.entry("zookeeper.znode.parent", "/hbase-secure"));
    }

    @Test
    void defaultsAreDeclaredOnceAndMeanTheCurrentUserWithoutKerberos() {
        assertThat(ConfigValues.declared(HBaseConfig.class)).containsExactly(
                Map.entry("hbase.conf.dir", ""),
                Map.entry("hbase.zookeeper.quorum", ""),
                Map.entry("proxy-user", ""),
                Map.entry("security.kerberos.login.keytab", ""),
                Map.entry("security.kerberos.login.principal", ""),
                Map.entry("security.kerberos.login.ticket-cache", ""),
                Map.entry("security.kerberos.login.use-ticket-cache", "true"));
        ProviderSettings s = parse(Map.of());
        assertThat(s.principal()).isEmpty();
        assertThat(s.kerberos()).isFalse();
        assertThat(s.client().overrides()).isEmpty();
    }

    @Test
    void aKeytabNeedsAPrincipalAndNoTicketCacheNeedsAKeytab() {
        assertThatThrownBy(() -> parse(Map.of("security.kerberos.login.keytab", "/etc/svc.keytab")))
                .isInstanceOf(ConfigurationRefusedException.class)
                .hasMessageStartingWith("security.kerberos.login.principal: must be set when security.kerberos.login.keytab is");
        assertThatThrownBy(() -> parse(Map.of("security.kerberos.login.principal", "svc@EXAMPLE.COM",
                "security.kerberos.login.use-ticket-cache", "false")))
                .isInstanceOf(ConfigurationRefusedException.class)
                .hasMessageStartingWith("security.kerberos.login.keytab: must be set when");
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> parse(Map.of("proxy-user", "two words")))
                .isInstanceOf(ConfigurationRefusedException.class).hasMessageStartingWith("proxy-user: must be a user");
        assertThatThrownBy(() -> parse(Map.of("hbase.conf.dir", "/no/such/dir")))
                .isInstanceOf(ConfigurationRefusedException.class).hasMessageStartingWith("hbase.conf.dir: must be an existing directory");
    }

    @Test
    void onlyHBaseZooKeeperAndHadoopKeysPassThrough() {
        assertThat(ProviderSettings.alsoAccepted("hbase.rpc.protection")).isTrue();
        assertThat(ProviderSettings.alsoAccepted("zookeeper.znode.parent")).isTrue();
        assertThat(ProviderSettings.alsoAccepted("hadoop.rpc.protection")).isTrue();
        assertThat(ProviderSettings.alsoAccepted("renewer")).isFalse();
    }
}
