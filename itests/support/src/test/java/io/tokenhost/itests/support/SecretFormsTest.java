package io.tokenhost.itests.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SecretFormsTest {

    private static final byte[] SECRET = "CANARY-secret-4f1c9a7e".getBytes(StandardCharsets.UTF_8);

    @Test
    void findsTheRawBytesAndTheirTextInsideOtherText() {
        assertThat(SecretForms.foundIn("a log line: CANARY-secret-4f1c9a7e and more", SECRET)).containsExactly("raw");
        byte[] binary = {(byte) 0xff, 0, (byte) 0x80, (byte) 0xc3};
        byte[] content = ("x" + new String(binary, StandardCharsets.ISO_8859_1) + "y").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(SecretForms.foundIn(content, binary)).containsExactly("raw");
    }

    @Test
    void findsHexInEitherCase() {
        assertThat(SecretForms.foundIn("k=" + HexFormat.of().formatHex(SECRET), SECRET)).containsExactly("hex");
        assertThat(SecretForms.foundIn("k=" + HexFormat.of().withUpperCase().formatHex(SECRET), SECRET))
                .containsExactly("HEX");
    }

    @Test
    void findsBase64OfTheSecretInsideALongerEncodedRunAtEveryAlignment() {
        for (int prefix = 0; prefix < 3; prefix++) {
            byte[] longer = new byte[prefix + SECRET.length + 5];
            System.arraycopy(SECRET, 0, longer, prefix, SECRET.length);
            String standard = Base64.getEncoder().encodeToString(longer);
            String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(longer);
            assertThat(SecretForms.foundIn("token=" + standard, SECRET)).as("prefix " + prefix)
                    .anyMatch(form -> form.startsWith("base64@"));
            assertThat(SecretForms.foundIn("token=" + urlSafe, SECRET)).as("url-safe, prefix " + prefix)
                    .anyMatch(form -> form.startsWith("base64"));
        }
    }

    @Test
    void findsNothingInTextWithoutTheSecretAndFailsWithoutShowingIt() {
        assertThat(SecretForms.foundIn("CANARY-secret-4f1c9a7f, fingerprint 9c2e41, 22 bytes", SECRET)).isEmpty();
        SecretForms.assertAbsent("the log", "nothing here", SECRET);
        assertThatThrownBy(() -> SecretForms.assertAbsent("the log", "x" + Base64.getEncoder().encodeToString(SECRET), SECRET))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the log holds a secret (22 bytes) in form [base64@0")
                .message().doesNotContain("CANARY").doesNotContain(Base64.getEncoder().encodeToString(SECRET));
    }
}
