package io.tokenhost.host.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyDirectoryTest {

    @TempDir
    Path tmp;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void prepareCreatesTheDirectoryOwnerOnly() throws Exception {
        Path dir = tmp.resolve("console");

        OwnerOnlyDirectory.prepare(dir);

        assertThat(mode(dir)).isEqualTo("rwx------");
        OwnerOnlyDirectory.verify(dir, Files.getOwner(tmp));
    }

    @Test
    void prepareNarrowsAnOwnDirectoryThatWasWider() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("console"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

        OwnerOnlyDirectory.prepare(dir);

        assertThat(mode(dir)).isEqualTo("rwx------");
    }

    @Test
    void aSymbolicLinkIsRefusedAndNotFollowed() throws Exception {
        Path target = Files.createDirectory(tmp.resolve("target"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path link = Files.createSymbolicLink(tmp.resolve("console"), target);

        assertThatThrownBy(() -> OwnerOnlyDirectory.prepare(link))
                .isInstanceOf(OwnerOnlyDirectory.UnsafeDirectoryException.class)
                .hasMessage("unsafe directory " + link + ": it is a symbolic link (not followed)");
        assertThatThrownBy(() -> OwnerOnlyDirectory.verify(link, Files.getOwner(tmp)))
                .hasMessageContaining("symbolic link");
        assertThat(mode(target)).as("the link's target is untouched").isEqualTo("rwxr-xr-x");
    }

    @Test
    void aFileIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("console"), "x");

        assertThatThrownBy(() -> OwnerOnlyDirectory.prepare(file)).hasMessageEndingWith("it is not a directory");
    }

    @Test
    void aParentWritableByOthersWithoutTheStickyBitIsRefused() throws Exception {
        Path parent = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> OwnerOnlyDirectory.prepare(parent.resolve("console")))
                .isInstanceOf(OwnerOnlyDirectory.UnsafeDirectoryException.class)
                .hasMessageContaining("its parent " + parent + " is writable by others and not sticky (mode 777)");
        assertThat(parent.resolve("console")).doesNotExist();
    }

    @Test
    void aStickyParentWritableByOthersIsFineAsTmpIs() throws Exception {
        Path parent = Files.createDirectory(tmp.resolve("sticky"));
        Files.setAttribute(parent, "unix:mode", 01777);

        OwnerOnlyDirectory.prepare(parent.resolve("console"));

        assertThat(mode(parent.resolve("console"))).isEqualTo("rwx------");
    }

    @Test
    void verifyRefusesADirectoryOthersMayEnterAndReportsAMissingOne() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("console"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));

        assertThatThrownBy(() -> OwnerOnlyDirectory.verify(dir, Files.getOwner(tmp)))
                .hasMessageEndingWith("its mode is rwx--x--x, others may enter it (expected rwx------)");
        assertThatThrownBy(() -> OwnerOnlyDirectory.verify(tmp.resolve("missing"), Files.getOwner(tmp)))
                .isInstanceOf(NoSuchFileException.class);
    }
}
