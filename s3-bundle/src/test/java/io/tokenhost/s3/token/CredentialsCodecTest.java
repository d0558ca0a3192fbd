package io.tokenhost.s3.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CredentialsCodecTest {

    private static final SessionCredentials CREDS = new SessionCredentials("ASIAEXAMPLEKEY123", "s3cr3t/+=",
            "FwoGZXIvYXdzEJr//////////wEaDGV4YW1wbGV0b2tlbg==", Instant.parse("2026-11-23T12:00:00.123Z"));

    @Test
    void roundTrips() {
        assertThat(CredentialsCodec.decode(CredentialsCodec.encode(CREDS))).isEqualTo(CREDS);
    }

    @Test
    void startsWithMagicAndVersion() {
        byte[] bytes = CredentialsCodec.encode(CREDS);
        assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("THS3");
        assertThat(bytes[4]).isEqualTo((byte) 1);
    }

    @Test
    void refusesEveryTruncationWithoutEchoingContent() {
        byte[] bytes = CredentialsCodec.encode(CREDS);
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = Arrays.copyOf(bytes, n);
            assertThatThrownBy(() -> CredentialsCodec.decode(cut))
                    .isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t").doesNotContain("ASIAEXAMPLE"));
        }
    }

    @Test
    void refusesTrailingBytesOtherVersionsAndOtherMagic() {
        byte[] bytes = CredentialsCodec.encode(CREDS);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> CredentialsCodec.decode(longer)).hasMessageContaining("trailing");
        byte[] v2 = bytes.clone();
        v2[4] = 2;
        assertThatThrownBy(() -> CredentialsCodec.decode(v2)).hasMessageContaining("version 2");
        byte[] other = bytes.clone();
        other[0] = 'X';
        assertThatThrownBy(() -> CredentialsCodec.decode(other)).hasMessageContaining("magic");
    }

    @Test
    void toStringShowsNoSecret() {
        assertThat(CREDS.toString()).contains("****Y123").doesNotContain("s3cr3t").doesNotContain("FwoG")
                .doesNotContain("ASIAEXAMPLE");
    }
}
