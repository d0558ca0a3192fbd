package io.tokenhost.host.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLocationTest {

    @TempDir
    Path tmp;

    @Test
    void aDeepInstallationGetsAShortSocketInTheOwnersDirectory() throws Exception {
        Path deep = Files.createDirectories(tmp.resolve("a".repeat(100)).resolve("b".repeat(100)));

        Path socket = ConsoleLocation.socketFor(deep, null);

        assertThat(socket.getParent()).isEqualTo(Path.of("/tmp/tokenhost-" + Files.getAttribute(deep, "unix:uid")));
        assertThat(socket.getFileName().toString()).matches("[0-9a-f]{16}\\.sock");
        ConsoleLocation.checkLength(socket);
    }

    @Test
    void twoInstallationsNeverShareASocketAndOneIsStableAcrossSpellings() throws Exception {
        Path one = Files.createDirectories(tmp.resolve("one"));
        Path two = Files.createDirectories(tmp.resolve("two"));
        Path link = Files.createSymbolicLink(tmp.resolve("link-to-one"), one);

        assertThat(ConsoleLocation.socketFor(one, null)).isNotEqualTo(ConsoleLocation.socketFor(two, null));
        assertThat(ConsoleLocation.socketFor(link, null)).isEqualTo(ConsoleLocation.socketFor(one, null));
        assertThat(ConsoleLocation.socketFor(tmp.resolve("one/../one"), null))
                .isEqualTo(ConsoleLocation.socketFor(one, null));
    }

    @Test
    void aConfiguredDirectoryReplacesTheDefault() throws Exception {
        Path one = Files.createDirectories(tmp.resolve("one"));

        assertThat(ConsoleLocation.socketFor(one, "/run/th").getParent()).isEqualTo(Path.of("/run/th"));
        assertThat(ConsoleLocation.socketFor(one, " ").getParent().toString()).startsWith("/tmp/tokenhost-");
    }

    @Test
    void aSocketPathOverTheLimitIsRefusedWithAHint() {
        Path tooLong = Path.of("/" + "x".repeat(100), "0123456789abcdef.sock");

        assertThat(tooLong.toString().getBytes(StandardCharsets.UTF_8)).hasSizeGreaterThan(107);
        assertThatThrownBy(() -> ConsoleLocation.checkLength(tooLong))
                .hasMessageContaining("is 123 bytes, over the 107-byte limit of Unix sockets: set tokenhost.console.dir");
    }
}
