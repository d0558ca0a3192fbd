package io.tokenhost.hadoop.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.hadoop.support.testing.RecordedProblems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell commands read the provider's PID by the provider's rules and keep good settings. */
class HadoopCommandsTest {

    @TempDir
    Path dir;

    private final HadoopCommands commands = new HadoopCommands();
    private final RecordedProblems problems = new RecordedProblems();

    @AfterEach
    void stop() throws Exception {
        commands.deactivate();
    }

    @Test
    void aRefusedConfigurationDoesNotStartTheCommands() {
        commands.bindProblems(problems);
        String missing = dir.resolve("missing").toString();
        commands.activate(Map.of("hadoop.conf.dir", missing));
        assertThatThrownBy(() -> commands.cat(dir.toString()))
                .hasMessageContaining("hadoop:cat is not available: configuration io.tokenhost.hadoop refused: "
                        + "hadoop.conf.dir: must be an existing directory");
        assertThat(problems.reports).containsExactly("refused io.tokenhost.hadoop: hadoop.conf.dir: must be an "
                + "existing directory, got '" + missing + "' (not started)");
    }

    @Test
    void aFixedConfigurationStartsCommandsThatWereRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("fixed.txt"), "fixed");
        commands.activate(Map.of("hadoop.conf.dir", dir.resolve("missing").toString()));
        commands.modified(Map.of("hadoop.fs.defaultFS", "file:///"));
        assertThat(commands.cat(file.toAbsolutePath().toString())).isEqualTo("fixed");
    }

    @Test
    void aBadModificationKeepsTheHadoopSettingsInForce() throws Exception {
        Path file = Files.writeString(dir.resolve("hello.txt"), "hello from the local file system");
        String path = file.toAbsolutePath().toString();
        commands.activate(Map.of("hadoop.fs.defaultFS", "file:///"));
        assertThat(commands.cat(path)).isEqualTo("hello from the local file system");

        commands.modified(Map.of("hadoop.fs.defaultFS", "hdfs://nowhere.invalid:8020",
                "security.kerberos.login.use-ticket-cache", "maybe"));
        assertThat(commands.cat(path)).as("still file:///").isEqualTo("hello from the local file system");

        commands.modified(Map.of("hadoop.fs.defaultFS", "hdfs://nowhere.invalid:8020"));
        assertThatThrownBy(() -> commands.cat(path)).hasMessageContaining("hadoop:cat " + path);
    }
}
