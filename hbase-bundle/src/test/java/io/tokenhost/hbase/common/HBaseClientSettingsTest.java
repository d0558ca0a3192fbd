package io.tokenhost.hbase.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.ConfigValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HBaseClientSettingsTest {

    @TempDir
    Path dir;

    private static Configuration configuration(Map<String, ?> properties) {
        return HBaseClientSettings.parse(ConfigValues.of(properties, HBaseConfig.class)).configuration();
    }

    @Test
    void theBundleDefaultsLieBelowTheSiteFileWhichLiesBelowInlineKeys() throws Exception {
        Files.writeString(dir.resolve("hbase-site.xml"), """
                <configuration>
                  <property><name>hbase.client.retries.number</name><value>7</value></property>
                  <property><name>hbase.zookeeper.quorum</name><value>zk-site</value></property>
                  <property><name>hbase.rpc.timeout</name><value>1234</value></property>
                </configuration>
                """);
        Configuration conf = configuration(Map.of("hbase.conf.dir", dir.toString(), "hbase.rpc.timeout", "4321"));
        assertThat(conf.get("hbase.client.retries.number")).as("the site file beats the bundle default").isEqualTo("7");
        assertThat(conf.get("hbase.zookeeper.quorum")).isEqualTo("zk-site");
        assertThat(conf.get("hbase.rpc.timeout")).as("an inline key beats the site file").isEqualTo("4321");
        assertThat(conf.get("hbase.client.operation.timeout")).as("a bundle default").isEqualTo("20000");
        assertThat(conf.get("hbase.rpc.client.impl")).isEqualTo("org.apache.hadoop.hbase.ipc.BlockingRpcClient");
    }

    @Test
    void aKerberosLoginSwitchesSecurityOnUnlessSetInline() {
        Configuration conf = configuration(Map.of("security.kerberos.login.principal", "svc@EXAMPLE.COM"));
        assertThat(conf.get("hbase.security.authentication")).isEqualTo("kerberos");
        assertThat(conf.get("hadoop.security.authentication")).isEqualTo("kerberos");
        Configuration simple = configuration(Map.of("security.kerberos.login.principal", "svc@EXAMPLE.COM",
                "hbase.security.authentication", "simple"));
        assertThat(simple.get("hbase.security.authentication")).isEqualTo("simple");
        assertThat(configuration(Map.of()).get("hbase.security.authentication", "simple")).isEqualTo("simple");
    }
}
