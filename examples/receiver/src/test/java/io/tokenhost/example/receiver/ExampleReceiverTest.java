package io.tokenhost.example.receiver;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.Configured;
import io.tokenhost.example.receiver.ExampleReceiverComponent.Settings;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleReceiverTest {

    @TempDir
    Path dir;

    private final List<String> refused = new ArrayList<>();
    private final Configured<Settings> configured = new Configured<>(ExampleReceiverComponent.PID,
            ExampleReceiverComponent.Config.class, Settings::parse, refused::add, warning -> { });

    private static ExampleReceiver receiver(Path file) {
        return new ExampleReceiver("example", Optional.of(file));
    }

    @Test
    void writesTokensToAnOwnerOnlyFile() throws Exception {
        Path file = dir.resolve("sub/example.tokens");
        ExampleReceiver receiver = receiver(file);

        receiver.onNewTokensObtained("first".getBytes(UTF_8));

        assertThat(Files.readAllBytes(file)).isEqualTo("first".getBytes(UTF_8));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(receiver.currentTokens()).hasValueSatisfying(t -> assertThat(t).isEqualTo("first".getBytes(UTF_8)));
        assertThat(Files.list(file.getParent())).containsExactly(file);
    }

    @Test
    void replacesTheFileAtomicallyAndTightensLoosePermissions() throws Exception {
        Path file = dir.resolve("example.tokens");
        Files.writeString(file, "old content that is longer");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        ExampleReceiver receiver = receiver(file);

        try (InputStream openedBefore = Files.newInputStream(file)) {
            receiver.onNewTokensObtained("new".getBytes(UTF_8));
            // A reader that opened the old file keeps reading the old, complete content: the new
            // tokens went to a new inode that was renamed into place, not written over the old one.
            assertThat(new String(openedBefore.readAllBytes(), UTF_8)).isEqualTo("old content that is longer");
        }
        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.list(dir)).as("no temporary file left").containsExactly(file);
    }

    @Test
    void deletesTheFileWhenTokensAreWithdrawn() throws Exception {
        Path file = dir.resolve("example.tokens");
        ExampleReceiver receiver = receiver(file);
        receiver.onNewTokensObtained(new byte[] {1, 2, 3});

        receiver.onTokensWithdrawn();

        assertThat(file).doesNotExist();
        assertThat(receiver.currentTokens()).isEmpty();
        receiver.onTokensWithdrawn(); // withdrawing twice is harmless
    }

    @Test
    void withoutAFileKeepsTokensInMemoryOnly() throws Exception {
        ExampleReceiver receiver = new ExampleReceiver("example", Optional.empty());

        receiver.onNewTokensObtained(new byte[] {7});

        assertThat(receiver.currentTokens()).hasValueSatisfying(t -> assertThat(t).containsExactly(7));
        assertThat(Files.list(dir)).isEmpty();
        assertThat(receiver.serviceName()).isEqualTo("example");
    }

    @Test
    void closingRemovesTheFileNobodyKeepsFreshAnyMore() throws Exception {
        Path file = dir.resolve("example.tokens");
        ExampleReceiver receiver = receiver(file);
        receiver.onNewTokensObtained(new byte[] {4, 2});

        receiver.close();

        assertThat(file).doesNotExist();
    }

    @Test
    void settingsDefaultToTheExampleServiceInMemoryAndResolveTheFile() {
        assertThat(configured.apply(Map.of())).contains(new Settings("example", Optional.empty()));
        assertThat(configured.apply(Map.of("file", "relative.tokens")))
                .contains(new Settings("example", Optional.of(Path.of("relative.tokens").toAbsolutePath())));
    }

    @Test
    void aRefusedChangeKeepsThePreviousSettings() {
        Path file = dir.resolve("example.tokens");
        configured.apply(Map.of("file", file.toString()));

        assertThat(configured.apply(Map.of("service.name", "bad name", "file", dir.resolve("elsewhere").toString())))
                .isEmpty();

        assertThat(configured.current()).contains(new Settings("example", Optional.of(file)));
        assertThat(refused).singleElement().asString()
                .startsWith("Configuration io.tokenhost.example.receiver refused: service.name: must be a service name")
                .endsWith("; the previous settings stay in force");
    }
}
