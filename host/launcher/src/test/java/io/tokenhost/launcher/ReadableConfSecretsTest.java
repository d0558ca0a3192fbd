package io.tokenhost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadableConfSecretsTest {

    @TempDir
    Path conf;

    @Test
    void aCfgOthersMayReadWithASecretLookingKeyIsNamedWithItsKeysButNotItsValues() throws Exception {
        Path s3 = cfg("io.tokenhost.s3.cfg", "rw-r--r--", "region=eu-west-1\nsecret-key=CanaryValue123\naccess-key=AKIAEXAMPLE\n");
        cfg("io.tokenhost.s3-owner.cfg", "rw-------", "secret-key=CanaryValue123\n");
        cfg("io.tokenhost.s3-file.cfg", "rw-r--r--", "secret-key.file=/etc/tokenhost/s3.secret\n");
        cfg("io.tokenhost.remote.cfg", "rw-r--r--", "role=manager\ntls.key=/etc/tokenhost/node.key\n");
        cfg("io.tokenhost.example.provider.cfg", "rw-r--r--", "token.lifetime=1h\nservice.name=example\n");
        Path group = cfg("io.tokenhost.hadoop.cfg", "rw-r-----", "keytab.password=Sesame42\n");

        assertThat(ReadableConfSecrets.warnings(conf)).containsExactly(
                group + " holds keytab.password and group or others may read it (rw-r-----): chmod 600 " + group
                        + ", or keep each secret in an owner-only file named by <key>.file=/path",
                s3 + " holds access-key, secret-key and group or others may read it (rw-r--r--): chmod 600 " + s3
                        + ", or keep each secret in an owner-only file named by <key>.file=/path");
        assertThat(String.join("\n", ReadableConfSecrets.warnings(conf))).doesNotContain("Canary", "Sesame", "AKIA");
    }

    private Path cfg(String name, String mode, String content) throws Exception {
        Path file = Files.writeString(conf.resolve(name), content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }
}
