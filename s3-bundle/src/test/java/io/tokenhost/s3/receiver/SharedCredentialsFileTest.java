package io.tokenhost.s3.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.s3.token.SessionCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedCredentialsFileTest {

    private static SessionCredentials creds(String id) {
        return new SessionCredentials(id, "secret-" + id, "token-" + id, Instant.parse("2026-11-23T12:00:00Z"));
    }

    @Test
    void writesOwnerOnlyProfileAndReplacesIt(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("aws/credentials");
        SharedCredentialsFile file = new SharedCredentialsFile(path, "analytics");
        file.write(creds("ASIA1"), "s3.analytics");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
        assertThat(Files.readString(path)).contains("[analytics]", "aws_access_key_id = ASIA1",
                "aws_secret_access_key = secret-ASIA1", "aws_session_token = token-ASIA1");

        file.write(creds("ASIA2"), "s3.analytics");
        assertThat(Files.readString(path)).contains("ASIA2").doesNotContain("ASIA1");
        try (var files = Files.list(path.getParent())) {
            assertThat(files).containsExactly(path);
        }
    }

    @Test
    void keepsOtherProfilesAndDeletesTheFileWithTheLastOne(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("credentials");
        Files.writeString(path, "[mine]\naws_access_key_id = AKIAOWN\naws_secret_access_key = own\n");
        SharedCredentialsFile a = new SharedCredentialsFile(path, "a");
        SharedCredentialsFile b = new SharedCredentialsFile(path, "b");
        a.write(creds("ASIAA"), "s3.a");
        b.write(creds("ASIAB"), "s3.b");
        assertThat(Files.readString(path)).contains("[mine]", "AKIAOWN", "[a]", "ASIAA", "[b]", "ASIAB");

        a.remove();
        assertThat(Files.readString(path)).contains("[mine]", "[b]").doesNotContain("ASIAA").doesNotContain("[a]");
        b.remove();
        assertThat(Files.readString(path)).contains("[mine]", "AKIAOWN").doesNotContain("[b]");

        Path own = dir.resolve("own");
        SharedCredentialsFile only = new SharedCredentialsFile(own, "default");
        only.write(creds("ASIAC"), "s3");
        only.remove();
        assertThat(own).doesNotExist();
        only.remove();
    }
}
