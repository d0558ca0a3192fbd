package io.tokenhost.hadoop.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ContextClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HadoopClientSettingsTest {

    @TempDir
    Path dir;

    private static HadoopClientSettings parse(Map<String, ?> properties) {
        return HadoopClientSettings.parse(ConfigValues.of(properties, HadoopConfig.class));
    }

    @Test
    void inlineHadoopKeysLoseTheirPrefixButNotTheConfDir() {
        HadoopClientSettings client = parse(Map.of("hadoop.fs.defaultFS", "hdfs://nn:8020 ",
                "hadoop.conf.dir", dir.toString(), "renewer", "x"));
        assertThat(client.overrides()).containsExactly(Map.entry("fs.defaultFS", "hdfs://nn:8020"));
        assertThat(client.confDir()).contains(dir);
        assertThat(HadoopClientSettings.isPassThrough("hadoop.fs.defaultFS")).isTrue();
        assertThat(HadoopClientSettings.isPassThrough("renewer")).isFalse();
    }

    @Test
    void theConfDirIsReadAndInlineKeysWin() throws Exception {
        Files.writeString(dir.resolve("core-site.xml"), "<configuration>"
                + "<property><name>fs.defaultFS</name><value>hdfs://from-file:8020</value></property>"
                + "<property><name>io.file.buffer.size</name><value>8192</value></property>"
                + "</configuration>");
        Configuration conf = ContextClassLoader.call(HadoopClientSettingsTest.class.getClassLoader(), () -> parse(Map.of("hadoop.conf.dir", dir.toString(),
                "hadoop.fs.defaultFS", "hdfs://inline:8020")).configuration());
        assertThat(conf.get("fs.defaultFS")).isEqualTo("hdfs://inline:8020");
        assertThat(conf.get("io.file.buffer.size")).isEqualTo("8192");
    }

    @Test
    void aKerberosLoginSwitchesSecurityOnUnlessSetInline() throws Exception {
        Configuration kerberos = ContextClassLoader.call(HadoopClientSettingsTest.class.getClassLoader(), () -> parse(Map.of("security.kerberos.login.principal", "p@R")).configuration());
        assertThat(kerberos.get("hadoop.security.authentication")).isEqualTo("kerberos");
        Configuration inline = ContextClassLoader.call(HadoopClientSettingsTest.class.getClassLoader(), () -> parse(Map.of("security.kerberos.login.principal", "p@R",
                "hadoop.hadoop.security.authentication", "simple")).configuration());
        assertThat(inline.get("hadoop.security.authentication")).isEqualTo("simple");
        Configuration none = ContextClassLoader.call(HadoopClientSettingsTest.class.getClassLoader(), () -> parse(Map.of()).configuration());
        assertThat(none.get("hadoop.security.authentication")).isEqualTo("simple");
    }
}
