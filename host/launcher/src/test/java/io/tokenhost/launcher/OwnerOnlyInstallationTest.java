package io.tokenhost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyInstallationTest {

    @TempDir
    Path root;

    @Test
    void missingDirectoriesAreCreatedOwnerOnly() throws Exception {
        OwnerOnlyInstallation.Tightened tightened = OwnerOnlyInstallation.secure(new Home(root, null));

        assertThat(mode(root.resolve("data"))).isEqualTo("rwx------");
        assertThat(mode(root.resolve("log"))).isEqualTo("rwx------");
        assertThat(tightened.any()).isFalse();
        assertThat(tightened.failures()).isEmpty();
    }

    @Test
    void anExistingInstallationLosesEveryGroupAndOtherPermissionButLinksAreLeftAlone() throws Exception {
        Path config = root.resolve("data/felix-cache/bundle1/data/config/io/tokenhost/s3.config");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "secret-key=\"x\"");
        Path log = root.resolve("log/tokenhost.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "log");
        Path script = root.resolve("data/tool.sh");
        Files.writeString(script, "#!/bin/sh");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path outside = Files.writeString(root.resolve("outside.txt"), "not ours");
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-r--r--"));
        Files.createSymbolicLink(root.resolve("data/link"), outside);
        try (var paths = Files.walk(root.resolve("data"))) {
            for (Path p : paths.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(log.getParent(), PosixFilePermissions.fromString("rwxr-x---"));

        OwnerOnlyInstallation.Tightened tightened = OwnerOnlyInstallation.secure(new Home(root, null));

        assertThat(mode(config)).isEqualTo("rw-------");
        assertThat(mode(config.getParent())).isEqualTo("rwx------");
        assertThat(mode(root.resolve("data"))).isEqualTo("rwx------");
        assertThat(mode(log)).isEqualTo("rw-------");
        assertThat(mode(script)).isEqualTo("rwx------");
        assertThat(mode(outside)).as("a link's target outside data/ is not touched").isEqualTo("rw-r--r--");
        assertThat(tightened.directories()).as("data/ and the 6 below it, log/").isEqualTo(8);
        assertThat(tightened.files()).isEqualTo(3);
        assertThat(tightened.examples()).hasSize(3).allMatch(p -> !p.isAbsolute());
        assertThat(tightened.failures()).isEmpty();

        assertThat(OwnerOnlyInstallation.secure(new Home(root, null)).any()).as("nothing left to do").isFalse();
    }

    @Test
    void aLaxUmaskIsNoticed() throws Exception {
        // This JVM's umask is whatever the build runs with: compare with what a new file really gets.
        Path probe = Files.createFile(root.resolve("probe"));
        boolean lax = !mode(probe).endsWith("------");

        assertThat(OwnerOnlyInstallation.laxUmask(root).isPresent()).as("warning").isEqualTo(lax);
        try (var left = Files.list(root)) {
            assertThat(left).as("the probe file is removed").containsExactly(probe);
        }
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }
}
