package io.tokenhost.api.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The container's and the codec's limits at their exact ends: what is at the limit is accepted
 * and round-trips, one more is refused. Each test kills a boundary mutant ({@code >} made {@code
 * >=} or {@code <} made {@code <=}) that the other tests left alive.
 */
class TokenContainerLimitsTest {

    private static Map<String, byte[]> services(int n) {
        Map<String, byte[]> tokens = new HashMap<>();
        for (int i = 0; i < n; i++) {
            tokens.put("s" + i, new byte[] {(byte) i});
        }
        return tokens;
    }

    @Test
    void aContainerHoldsExactlyMaxServicesAndTheyRoundTrip() throws Exception {
        TokenContainer full = TokenContainer.of(1, services(TokenContainer.MAX_SERVICES));
        assertThat(TokenContainerCodec.decode(TokenContainerCodec.encode(full))).isEqualTo(full);
        assertThatThrownBy(() -> TokenContainer.of(1, services(TokenContainer.MAX_SERVICES + 1)))
                .hasMessage("a container holds at most 1024 services, got 1025");

        TokenContainer oneShort = TokenContainer.of(1, services(TokenContainer.MAX_SERVICES - 1));
        assertThat(oneShort.with(2, "last", new byte[0]).size()).isEqualTo(TokenContainer.MAX_SERVICES);
        assertThatThrownBy(() -> full.with(2, "one-more", new byte[0]))
                .hasMessage("a container holds at most 1024 services");
    }

    @Test
    void aTokenOfExactlyOneMebibyteRoundTripsAndSoDoesAValidUntilAtTheEpoch() throws Exception {
        TokenContainer big = TokenContainer.of(1, Map.of("big", new byte[TokenContainer.MAX_TOKEN_BYTES]),
                Map.of("big", Instant.EPOCH));
        TokenContainer decoded = TokenContainerCodec.decode(TokenContainerCodec.encode(big));
        assertThat(decoded).isEqualTo(big);
        assertThat(decoded.validUntil("big")).contains(Instant.EPOCH);
    }

    /** 16 services whose encoding is exactly {@code MAX_ENCODED_BYTES}; one token byte more is too many. */
    @Test
    void anEncodingOfExactlyTheMaximumIsWrittenAndReadAndOneByteMoreIsRefused() throws Exception {
        int overhead = 4 + 1 + 8 + 4 + 4 + 16 * (2 + 3 + 8 + 4); // header, CRC, 16 entries named s00..s15
        Map<String, byte[]> tokens = new HashMap<>();
        int left = TokenContainerCodec.MAX_ENCODED_BYTES - overhead;
        for (int i = 0; i < 16; i++) {
            int size = Math.min(TokenContainer.MAX_TOKEN_BYTES, left);
            tokens.put(String.format("s%02d", i), new byte[size]);
            left -= size;
        }
        assertThat(left).isZero();
        TokenContainer largest = TokenContainer.of(1, tokens);

        byte[] encoded = TokenContainerCodec.encode(largest);

        assertThat(encoded).hasSize(TokenContainerCodec.MAX_ENCODED_BYTES);
        assertThat(TokenContainerCodec.decode(encoded)).isEqualTo(largest);
        tokens.put("s15", new byte[tokens.get("s15").length + 1]);
        assertThatThrownBy(() -> TokenContainerCodec.encode(TokenContainer.of(1, tokens)))
                .hasMessage("container encodes to 16777217 bytes; at most 16777216 are allowed");
    }

    @Test
    void aNameOfExactlyTheMaximumLengthRoundTrips() throws Exception {
        TokenContainer longName = TokenContainer.of(1, Map.of("n".repeat(128), new byte[] {1}));
        assertThat(TokenContainerCodec.decode(TokenContainerCodec.encode(longName))).isEqualTo(longName);
    }

    /**
     * A body that ends right after a name: the name is read (its length is exactly what remains),
     * then the valid-until is missing. Kills {@code length > in.remaining()} made {@code >=} in
     * {@code readName}, which would blame the name instead.
     */
    @Test
    void aBodyEndingRightAfterANameIsTruncatedAtTheValidUntil() {
        byte[] cut = new byte[17 + 2 + 1 + 4];
        ByteBuffer.wrap(cut).putInt(0x54485443).put((byte) 2).putLong(1).putInt(1).putShort((short) 1).put((byte) 'x');
        assertThatThrownBy(() -> TokenContainerCodec.decode(TokenContainerCodecTest.withCrc(cut)))
                .hasMessage("container truncated at offset 20");
    }

    /** Kills the boundary mutant of the input-size check: an input of exactly the maximum reaches the checksum. */
    @Test
    void anInputOfExactlyTheMaximumSizeIsCheckedNotRefusedForItsSize() {
        assertThatThrownBy(() -> TokenContainerCodec.decode(new byte[TokenContainerCodec.MAX_ENCODED_BYTES]))
                .hasMessage("container checksum mismatch (corrupt or truncated)");
    }

    @Test
    void equalityNeedsTheSameVersionServicesBytesAndValidUntil() {
        Instant until = Instant.parse("2026-11-28T12:00:00Z");
        TokenContainer a = TokenContainer.of(3, Map.of("a", new byte[] {1}, "b", new byte[] {2}), Map.of("a", until));
        TokenContainer same = TokenContainer.of(3, Map.of("a", new byte[] {1}, "b", new byte[] {2}), Map.of("a", until));

        assertThat(a.equals(same)).isTrue();
        assertThat(a.hashCode()).isEqualTo(same.hashCode());
        assertThat(a.equals(TokenContainer.of(4, Map.of("a", new byte[] {1}, "b", new byte[] {2}), Map.of("a", until))))
                .as("another version").isFalse();
        assertThat(a.equals(TokenContainer.of(3, Map.of("a", new byte[] {1}, "b", new byte[] {9}), Map.of("a", until))))
                .as("other bytes").isFalse();
        assertThat(a.equals(TokenContainer.of(3, Map.of("a", new byte[] {1}, "c", new byte[] {2}), Map.of("a", until))))
                .as("another service").isFalse();
        assertThat(a.equals(TokenContainer.of(3, Map.of("a", new byte[] {1}, "b", new byte[] {2}))))
                .as("no valid-until").isFalse();
        assertThat(a.equals("a container")).isFalse();
        assertThat(a.hashCode()).isNotEqualTo(TokenContainer.of(4, Map.of("a", new byte[] {1})).hashCode())
                .isEqualTo(Long.hashCode(3) * 31 + java.util.Set.of("a", "b").hashCode());
    }

    @Test
    void sizeEmptinessAndTheTextShowNamesNeverBytes() {
        TokenContainer two = TokenContainer.of(3, Map.of("b", new byte[] {'S', 'E', 'C'}, "a", new byte[] {1}));
        assertThat(two.size()).isEqualTo(2);
        assertThat(two.isEmpty()).isFalse();
        assertThat(TokenContainer.empty().isEmpty()).isTrue();
        assertThat(TokenContainer.empty().size()).isZero();
        assertThat(two.toString()).isEqualTo("TokenContainer[version=3, services=[a, b]]");
    }
}
