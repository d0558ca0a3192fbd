package io.tokenhost.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginQuarantineTest {

    @TempDir
    Path dir;

    @Test
    void aQuarantinedJarStaysQuarantinedAcrossRestartsUntilReleasedOrReplaced() throws Exception {
        Path jar = Files.writeString(dir.resolve("plugin.jar"), "a build that hangs");
        Path file = dir.resolve("data").resolve(PluginQuarantine.FILE_NAME);
        Instant since = Instant.parse("2026-11-28T12:00:00Z");

        new PluginQuarantine(file).add("org.example.plugin", "1.0.0", jar, since);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(dir.resolve("data")).isDirectoryNotContaining("glob:**.tmp");
        PluginQuarantine reloaded = new PluginQuarantine(file);
        assertThat(reloaded.holding("org.example.plugin", jar)).hasValueSatisfying(entry -> {
            assertThat(entry.version()).isEqualTo("1.0.0");
            assertThat(entry.since()).isEqualTo(since);
        });
        assertThat(reloaded.holding("org.example.other", jar)).isEmpty();

        Path fixed = Files.writeString(dir.resolve("fixed.jar"), "a build that starts");
        assertThat(reloaded.holding("org.example.plugin", fixed)).as("another jar of the same bundle").isEmpty();

        assertThat(reloaded.release("org.example.plugin")).isTrue();
        assertThat(reloaded.release("org.example.plugin")).isFalse();
        assertThat(new PluginQuarantine(file).holding("org.example.plugin", jar)).isEmpty();
    }

    @Test
    void aStackIsShownWithAtMostTwentyFrames() {
        StackTraceElement[] frames = new StackTraceElement[30];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new StackTraceElement("org.example.Spin", "m" + i, "Spin.java", i);
        }
        String text = ThreadStacks.describe("t", frames);
        assertThat(text).startsWith("thread 't' at org.example.Spin.m0(Spin.java:0)").contains("m19(")
                .doesNotContain("m20(").endsWith("... 10 more");
    }

    @Test
    void packageNamesOfAManifestListSkipAttributes() {
        assertThat(LeftoverThreads.names("a.b;version=\"1.0\",c.d;uses:=\"x.y,z\",e"))
                .contains("a.b", "c.d", "e").doesNotContain("x.y", "z");
    }
}
