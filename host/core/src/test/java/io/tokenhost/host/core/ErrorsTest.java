package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class ErrorsTest {

    @Test
    void aMessageNamingADeepPathIsKeptWhole() {
        String keytab = "/" + "a-very-long-directory-name-for-a-newcomer-".repeat(6) + "x/client.keytab";
        IOException error = new IOException("Kerberos login failed for principal client@EXAMPLE.COM with keytab "
                + keytab, new SecurityException("Checksum failed"));

        assertThat(Errors.describe(error))
                .isEqualTo("IOException: Kerberos login failed for principal client@EXAMPLE.COM with keytab " + keytab
                        + " (caused by SecurityException: Checksum failed)");
    }

    @Test
    void aFloodIsBoundedAndControlCharactersCannotForgeLines() {
        String line = Errors.describe(new IllegalStateException("x\nERROR forged line\r" + "y".repeat(5000)));

        assertThat(line).hasSize(Errors.MAX_LENGTH).endsWith("...").doesNotContain("\n").doesNotContain("\r")
                .startsWith("IllegalStateException: x ERROR forged line y");
    }

    @Test
    void aLibraryMessageCarryingResponseBytesIsMasked() {
        // OkHttp 4's BufferedSource.readUtf8LineStrict puts the hex of what it read into the message.
        String hex = "7b22746f6b656e223a2273336372337430313233343536373839616263646566";
        RuntimeException error = new RuntimeException("token service call failed",
                new java.io.EOFException("\\n not found: limit=32 content=" + hex + "\u2026"));

        assertThat(Errors.describe(error)).isEqualTo("RuntimeException: token service call failed"
                + " (caused by EOFException: \\n not found: limit=32 content=***)");
    }
}
