package io.tokenhost.api.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class TokenContainerCodecTest {

    private static TokenContainer sample() {
        Map<String, byte[]> tokens = new LinkedHashMap<>();
        tokens.put("s3", new byte[] {1, 2, 3});
        tokens.put("hadoopfs", "hdfs-token".getBytes(StandardCharsets.UTF_8));
        tokens.put("empty", new byte[0]);
        return TokenContainer.of(42, tokens);
    }

    @Test
    void roundTripKeepsVersionAndEveryServicesBytes() throws Exception {
        TokenContainer decoded = TokenContainerCodec.decode(TokenContainerCodec.encode(sample()));

        assertThat(decoded).isEqualTo(sample());
        assertThat(decoded.version()).isEqualTo(42);
        assertThat(decoded.services()).containsExactly("empty", "hadoopfs", "s3");
        assertThat(decoded.tokens("s3")).get().isEqualTo(new byte[] {1, 2, 3});
        assertThat(decoded.tokens("empty")).get().isEqualTo(new byte[0]);
    }

    @Test
    void emptyContainerRoundTrips() throws Exception {
        byte[] encoded = TokenContainerCodec.encode(TokenContainer.empty());
        assertThat(encoded).hasSize(21);
        assertThat(TokenContainerCodec.decode(encoded)).isEqualTo(TokenContainer.empty());
    }

    @Test
    void encodingIsCanonicalWhateverTheInsertionOrder() {
        Map<String, byte[]> reversed = new LinkedHashMap<>();
        reversed.put("b", new byte[] {2});
        reversed.put("a", new byte[] {1});
        Map<String, byte[]> sorted = new LinkedHashMap<>();
        sorted.put("a", new byte[] {1});
        sorted.put("b", new byte[] {2});
        assertThat(TokenContainerCodec.encode(TokenContainer.of(1, reversed)))
                .isEqualTo(TokenContainerCodec.encode(TokenContainer.of(1, sorted)));
    }

    @Test
    void headerLayoutIsAsDocumented() {
        ByteBuffer in = ByteBuffer.wrap(TokenContainerCodec.encode(TokenContainer.of(7, Map.of("x", new byte[] {9}))));
        assertThat(in.getInt()).isEqualTo(0x54485443);
        assertThat(in.get()).isEqualTo((byte) 1);
        assertThat(in.getLong()).isEqualTo(7);
        assertThat(in.getInt()).isEqualTo(1);
        assertThat(in.getShort()).isEqualTo((short) 1);
        assertThat(in.get()).isEqualTo((byte) 'x');
        assertThat(in.getInt()).isEqualTo(1);
        assertThat(in.get()).isEqualTo((byte) 9);
        assertThat(in.remaining()).isEqualTo(4);
    }

    @Test
    void refusesNullShortAndOversizedInput() {
        assertThatThrownBy(() -> TokenContainerCodec.decode(null))
                .isInstanceOf(MalformedContainerException.class).hasMessageContaining("no bytes");
        assertThatThrownBy(() -> TokenContainerCodec.decode(new byte[5]))
                .isInstanceOf(MalformedContainerException.class).hasMessageContaining("shorter than the minimum");
        assertThatThrownBy(() -> TokenContainerCodec.decode(new byte[TokenContainerCodec.MAX_ENCODED_BYTES + 1]))
                .isInstanceOf(MalformedContainerException.class).hasMessageContaining("exceeds the limit");
    }

    @Test
    void refusesAFlippedBitThroughTheChecksum() {
        byte[] encoded = TokenContainerCodec.encode(sample());
        encoded[encoded.length / 2] ^= 0x10;
        assertThatThrownBy(() -> TokenContainerCodec.decode(encoded))
                .isInstanceOf(MalformedContainerException.class).hasMessageContaining("checksum");
    }

    @Test
    void refusesBadMagicAndUnknownFormat() {
        byte[] badMagic = TokenContainerCodec.encode(sample());
        badMagic[0] = 'X';
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(badMagic)))
                .hasMessageContaining("bad magic");
        byte[] future = TokenContainerCodec.encode(sample());
        future[4] = 2;
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(future)))
                .hasMessageContaining("unsupported container format version 2");
    }

    @Test
    void refusesAHugeDeclaredTokenLengthWithoutAllocatingIt() {
        byte[] encoded = TokenContainerCodec.encode(TokenContainer.of(1, Map.of("x", new byte[] {9})));
        // token length field of the only entry: header 17 + name length 2 + name 1
        ByteBuffer.wrap(encoded).putInt(20, Integer.MAX_VALUE);
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(encoded)))
                .isInstanceOf(MalformedContainerException.class)
                .hasMessageContaining("token length 2147483647 is outside");
    }

    @Test
    void refusesAHugeEntryCount() {
        byte[] encoded = TokenContainerCodec.encode(TokenContainer.empty());
        ByteBuffer.wrap(encoded).putInt(13, -1);
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(encoded)))
                .hasMessageContaining("entry count 4294967295 is outside 0..1024");
    }

    @Test
    void refusesDuplicateOrUnsortedNames() {
        byte[] encoded = TokenContainerCodec.encode(TokenContainer.of(1, Map.of("a", new byte[0], "b", new byte[0])));
        // second entry's name sits at 17 + (2 + 1 + 4) + 2
        encoded[26] = 'a';
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(encoded)))
                .hasMessageContaining("unique and ascending");
    }

    @Test
    void refusesNamesThatBreakTheRule() {
        byte[] encoded = TokenContainerCodec.encode(TokenContainer.of(1, Map.of("a", new byte[0])));
        encoded[19] = '\n';
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(encoded)))
                .hasMessageContaining("naming rule");
        encoded[19] = (byte) 0xC3; // a lone UTF-8 lead byte
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(encoded)))
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void refusesTrailingBytes() {
        byte[] encoded = TokenContainerCodec.encode(TokenContainer.empty());
        byte[] longer = new byte[encoded.length + 3];
        System.arraycopy(encoded, 0, longer, 0, encoded.length - 4);
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(longer)))
                .hasMessageContaining("3 unexpected bytes");
    }

    @Test
    void errorMessagesNeverQuoteTokenBytes() {
        byte[] secret = "SECRET-TOKEN-VALUE".getBytes(StandardCharsets.UTF_8);
        byte[] encoded = TokenContainerCodec.encode(TokenContainer.of(1, Map.of("svc", secret)));
        encoded[5] = 99; // a corrupt version byte, checksum left wrong
        assertThatThrownBy(() -> TokenContainerCodec.decode(encoded))
                .message().doesNotContain("SECRET");
        assertThat(TokenContainer.of(1, Map.of("svc", secret)).toString()).doesNotContain("SECRET");
    }

    /** Recomputes the trailing CRC so that a test reaches the parser behind the checksum. */
    static byte[] withCrc(byte[] encoded) {
        CRC32C crc = new CRC32C();
        crc.update(encoded, 0, encoded.length - 4);
        ByteBuffer.wrap(encoded).putInt(encoded.length - 4, (int) crc.getValue());
        return encoded;
    }
}
