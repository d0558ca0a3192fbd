package io.tokenhost.hbase;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.hbase.common.HBaseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/hbase.md's keys table shows every declared key with its default, and the README links it. */
class DocsKeysTest {

    @Test
    void everyDeclaredKeyIsInTheKeysTableWithItsDefault() throws Exception {
        String docs = Files.readString(Path.of("../docs/hbase.md"));
        ConfigValues.declared(HBaseConfig.class).forEach((key, value) -> assertThat(docs).as(key)
                .contains(value.isEmpty() ? "| `" + key + "` | (none" : "| `" + key + "` | `" + value + "` |"));
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(readme).contains("| `hbase-bundle` (`io.tokenhost.hbase`) |").contains("[docs/hbase.md](docs/hbase.md)");
    }
}
