package io.tokenhost.host.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MessageSanitiserTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
    private static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEHYaCXVzLWVhc3QtMSJGMEQCIBx3Zm9vYmFyYmF6cXV4+/abcDEF0123==";

    @Test
    void okHttpEofExceptionContentIsMasked() {
        String body = "{\"access_token\":\"" + SECRET + "\"}";
        String hex = HexFormat.of().formatHex(body.getBytes(StandardCharsets.UTF_8), 0, 32);
        String message = "EOFException: \\n not found: limit=32 content=" + hex + "\u2026";

        String shown = MessageSanitiser.sanitise(message);

        assertThat(shown).isEqualTo("EOFException: \\n not found: limit=32 content=***");
        assertThat(shown).doesNotContain(hex.substring(0, 16));
    }

    @Test
    void awsMessagesLoseSessionTokensSignaturesAndSecretKeys() {
        String message = "STS AssumeRole failed: The security token included in the request is invalid"
                + " (Service: Sts, Status Code: 403, Request ID: 5d3c6a0e-1c2b-4f7a-9b1e-2f6d8c0a4b11)"
                + " request: POST https://sts.amazonaws.com/?X-Amz-Security-Token=" + SESSION_TOKEN
                + "&X-Amz-Credential=ASIAEXAMPLEKEYID0001%2F20261128%2Fus-east-1%2Fsts%2Faws4_request"
                + "&X-Amz-Signature=" + "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
                + "\nAuthorization: AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEKEYID0001/20261128/us-east-1/sts/aws4_request,"
                + " SignedHeaders=host;x-amz-date, Signature=abc123"
                + "\nx-amz-security-token: " + SESSION_TOKEN
                + "\nbody {\"SecretAccessKey\":\"" + SECRET + "\", \"SessionToken\": \"" + SESSION_TOKEN + "\"}"
                + " secret-key=" + SECRET + " password: hunter2hunter2";

        String shown = MessageSanitiser.sanitise(message);

        assertThat(shown).doesNotContain(SECRET).doesNotContain(SESSION_TOKEN).doesNotContain("hunter2")
                .doesNotContain("IQoJb3JpZ2lu").doesNotContain("0f1e2d3c4b5a").doesNotContain("abc123")
                .doesNotContain("wJalrXUtnFEMI").doesNotContain("ASIAEXAMPLEKEYID0001")
                .doesNotContain("\n");
        assertThat(shown).contains("The security token included in the request is invalid",
                "Request ID: 5d3c6a0e-1c2b-4f7a-9b1e-2f6d8c0a4b11", "X-Amz-Security-Token=***",
                "Authorization: ***", "x-amz-security-token: ***", "\"SecretAccessKey\":\"***\"",
                "\"SessionToken\": \"***\"", "secret-key=***", "password: ***");
    }

    @Test
    void longHexAndBase64RunsAreMaskedWhereverTheyStand() {
        String hex = "00112233445566778899aabbccddeeff0011";
        String base64 = Base64.getEncoder().encodeToString("a delegation token identifier!!".getBytes(StandardCharsets.UTF_8));
        String shown = MessageSanitiser.sanitise("rejected token " + hex + " and (" + base64 + ") again");

        assertThat(shown).isEqualTo("rejected token *** and (***) again");
    }

    @Test
    void controlCharactersEscapeSequencesAndLineBreaksAreRemoved() {
        String message = "first\n2026-11-28 ERROR forged line\r\u001B[31mred\u001B[0m\ttab\u0007bell"
                + "\u001B]0;title\u0007\u2028sep\u202Eevil\u0000end";

        String shown = MessageSanitiser.sanitise(message);

        assertThat(shown).isEqualTo("first 2026-11-28 ERROR forged line red tab bell sep evil end");
        assertThat(shown.chars()).noneMatch(c -> Character.isISOControl(c) || c == '\u202E' || c == '\u2028');
    }

    @Test
    void aLongMessageIsBounded() {
        String message = "x".repeat(5_000);

        String shown = MessageSanitiser.sanitise(message);

        assertThat(shown).hasSize(MessageSanitiser.MAX_LENGTH).endsWith("...");
        assertThat(MessageSanitiser.sanitise("y ".repeat(200_000))).hasSizeLessThanOrEqualTo(MessageSanitiser.MAX_LENGTH);
    }

    @Test
    void ordinaryTextPathsAndCommandsStay() {
        String message = "run token:status; token.lifetime=1h credentials-file=/var/lib/x/credentials"
                + " secret-key.file=/etc/tokenhost/s3.secret keytab=/etc/krb5/host.keytab limit=0"
                + " cannot read /work/wt/i10-secrets/itests/process/target/it/flow/DATA/Keytab0123ABCxyz/a.keytab"
                + " SignatureDoesNotMatch io.tokenhost.s3.provider.S3ProviderComponent AKIAIOSFODNN7EXAMPLE";

        assertThat(MessageSanitiser.sanitise(message)).isEqualTo(message);
    }

    @Test
    void secretNamesAreRecognisedByTheirWords() {
        assertThat(MessageSanitiser.isSecretName("secret-key")).isTrue();
        assertThat(MessageSanitiser.isSecretName("aws_secret_access_key")).isTrue();
        assertThat(MessageSanitiser.isSecretName("aws_access_key_id")).isTrue();
        assertThat(MessageSanitiser.isSecretName("AccessKeyId")).isTrue();
        assertThat(MessageSanitiser.isSecretName("sessionToken")).isTrue();
        assertThat(MessageSanitiser.isSecretName("keystore.password")).isTrue();
        assertThat(MessageSanitiser.isSecretName("content")).isTrue();
        assertThat(MessageSanitiser.isSecretName("token.lifetime")).isFalse();
        assertThat(MessageSanitiser.isSecretName("credentials-file")).isFalse();
        assertThat(MessageSanitiser.isSecretName("secret-key.file")).isFalse();
        assertThat(MessageSanitiser.isSecretName("keytab")).isFalse();
        assertThat(MessageSanitiser.isSecretName("limit")).isFalse();
    }

    @Test
    void nullIsEmpty() {
        assertThat(MessageSanitiser.sanitise(null)).isEmpty();
    }
}
