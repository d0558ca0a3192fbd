package io.tokenhost.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {

    @TempDir
    Path dir;

    @Test
    void createsAnOwnerOnlyFileAndItsDirectories() throws Exception {
        Path file = dir.resolve("sub/example.tokens");

        SecretFiles.replace(file, "first".getBytes(UTF_8));

        assertThat(Files.readString(file)).isEqualTo("first");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.list(file.getParent())).as("no temporary file left").containsExactly(file);
    }

    @Test
    void replacesAtomicallyAndTightensLoosePermissions() throws Exception {
        Path file = dir.resolve("example.tokens");
        Files.writeString(file, "old content that is longer");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        try (InputStream openedBefore = Files.newInputStream(file)) {
            SecretFiles.replace(file, "new".getBytes(UTF_8));
            // A reader of the old file keeps reading the old, complete content: the new content
            // went to a new inode renamed into place, not written over the old one.
            assertThat(new String(openedBefore.readAllBytes(), UTF_8)).isEqualTo("old content that is longer");
        }
        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.list(dir)).as("no temporary file left").containsExactly(file);
    }

    @Test
    void deleteSaysWhetherThereWasAFile() throws Exception {
        Path file = dir.resolve("example.tokens");
        SecretFiles.replace(file, new byte[] {1});

        assertThat(SecretFiles.delete(file)).isTrue();
        assertThat(file).doesNotExist();
        assertThat(SecretFiles.delete(file)).isFalse();
    }
}
