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
}
