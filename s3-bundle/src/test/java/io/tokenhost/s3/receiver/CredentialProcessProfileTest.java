package io.tokenhost.s3.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.s3.token.CredentialsCodec;
import io.tokenhost.s3.token.SessionCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A receiver with {@code profile-style=credential-process}: the JSON the command prints, the profile naming it, withdrawal. */
class CredentialProcessProfileTest {

    private static SessionCredentials creds(String id) {
        return new SessionCredentials(id, "secret/" + id + "+x=", "token-" + id, Instant.parse("2026-11-23T12:00:00.987Z"));
    }

    @Test
    void writesTheDocumentedJsonOwnerOnlyAndAProfileThatRunsTheCommand(@TempDir Path dir) throws Exception {
        Path credentials = dir.resolve("my aws/credentials");
        Path command = Path.of("/opt/tokenhost/bin/tokenhost-aws-credentials");
        S3CredentialsReceiver receiver = new S3CredentialsReceiver(new ReceiverSettings("s3.lake",
                Optional.of(credentials), "lake", Optional.of(command)));
        Path json = dir.resolve("my aws/credentials.lake.json");

        receiver.onNewTokensObtained(CredentialsCodec.encode(creds("ASIA1")));
        assertThat(Files.readString(json)).isEqualTo("""
                {
                  "Version": 1,
                  "AccessKeyId": "ASIA1",
                  "SecretAccessKey": "secret/ASIA1+x=",
                  "SessionToken": "token-ASIA1",
                  "Expiration": "2026-11-23T12:00:00Z"
                }
                """);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(json))).isEqualTo("rw-------");
        String profile = Files.readString(credentials);
        assertThat(profile).contains("[lake]", "credential_process = /opt/tokenhost/bin/tokenhost-aws-credentials '"
                + json + "'").doesNotContain("ASIA1").doesNotContain("secret").doesNotContain("token-");

        receiver.onNewTokensObtained(CredentialsCodec.encode(creds("ASIA2")));
        assertThat(Files.readString(json)).contains("\"AccessKeyId\": \"ASIA2\"").doesNotContain("ASIA1");
        try (var files = Files.list(json.getParent())) {
            assertThat(files).containsExactlyInAnyOrder(credentials, json);
        }

        receiver.onTokensWithdrawn();
        assertThat(json).doesNotExist();
        assertThat(credentials).doesNotExist();
        receiver.onTokensWithdrawn(); // again (the host, then the component's stop): nothing left, no error
        assertThat(receiver.credentialsProvider().toString()).contains("none");
    }
}
