package io.tokenhost.api.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.itests.support.SecretForms;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class TokenContainerCodecTest {

    private static final Instant HDFS_UNTIL = Instant.parse("2026-11-28T10:15:30.123Z");

    private static Map<String, byte[]> sampleTokens() {
        Map<String, byte[]> tokens = new LinkedHashMap<>();
        tokens.put("s3", new byte[] {1, 2, 3});
        tokens.put("hadoopfs", "hdfs-token".getBytes(StandardCharsets.UTF_8));
        tokens.put("empty", new byte[0]);
        return tokens;
    }

    /** Three services; only hadoopfs has a valid-until. */
    private static TokenContainer sample() {
        return TokenContainer.of(42, sampleTokens(), Map.of("hadoopfs", HDFS_UNTIL));
    }

    @Test
    void roundTripKeepsVersionEveryServicesBytesAndValidUntil() throws Exception {
        byte[] encoded = TokenContainerCodec.encode(sample());
        assertThat(encoded[4]).as("format written").isEqualTo((byte) 2);
        TokenContainer decoded = TokenContainerCodec.decode(encoded);

        assertThat(decoded).isEqualTo(sample());
        assertThat(decoded.version()).isEqualTo(42);
        assertThat(decoded.services()).containsExactly("empty", "hadoopfs", "s3");
        assertThat(decoded.tokens("s3")).get().isEqualTo(new byte[] {1, 2, 3});
        assertThat(decoded.tokens("empty")).get().isEqualTo(new byte[0]);
        assertThat(decoded.validUntil("hadoopfs")).contains(HDFS_UNTIL);
        assertThat(decoded.validUntil("s3")).as("no valid-until given").isEmpty();
        assertThat(decoded.validUntil("unknown")).isEmpty();
    }

    @Test
    void validUntilIsKeptToTheMillisecondAndPartOfEquality() throws Exception {
        Instant precise = Instant.parse("2026-11-28T10:15:30.123456789Z");
        TokenContainer container = TokenContainer.of(1, Map.of("x", new byte[] {1}), Map.of("x", precise));
        assertThat(container.validUntil("x")).contains(Instant.parse("2026-11-28T10:15:30.123Z"));
        assertThat(TokenContainerCodec.decode(TokenContainerCodec.encode(container))).isEqualTo(container);
        assertThat(container).isNotEqualTo(TokenContainer.of(1, Map.of("x", new byte[] {1})));
        assertThat(container.with(2, "x", new byte[] {1}).validUntil("x")).as("set without one").isEmpty();
        assertThat(container.without(2, "x").validUntil("x")).isEmpty();
        assertThat(TokenContainer.empty().with(1, "y", new byte[0], precise).validUntil("y"))
                .contains(Instant.parse("2026-11-28T10:15:30.123Z"));
    }

    @Test
    void aValidUntilThatCannotTravelIsRefusedNamingTheService() {
        assertThatThrownBy(() -> TokenContainer.of(1, Map.of("x", new byte[0]), Map.of("y", Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'y', which has no tokens");
        assertThatThrownBy(() -> TokenContainer.empty().with(1, "x", new byte[0], Instant.MAX))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("valid-until of 'x'");
        assertThatThrownBy(() -> TokenContainer.empty().with(1, "x", new byte[0], Instant.EPOCH.minusMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must lie between");
        assertThat(TokenContainer.empty().with(1, "x", new byte[0], TokenContainer.MAX_VALID_UNTIL).validUntil("x"))
                .contains(TokenContainer.MAX_VALID_UNTIL);
    }

    @Test
    void formatOneStillDecodesWithoutValidUntil() throws Exception {
        TokenContainer withoutExpiry = TokenContainer.of(42, sampleTokens());
        byte[] formatOne = TokenContainerCodec.encode(withoutExpiry, 1);
        assertThat(formatOne[4]).isEqualTo((byte) 1);
        assertThat(formatOne).hasSize(TokenContainerCodec.encode(withoutExpiry).length - 3 * 8);

        TokenContainer decoded = TokenContainerCodec.decode(formatOne);

        assertThat(decoded).isEqualTo(withoutExpiry);
        assertThat(decoded.services()).allSatisfy(service -> assertThat(decoded.validUntil(service)).isEmpty());
        assertThatThrownBy(() -> TokenContainerCodec.encode(sample(), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot carry valid-until");
    }

    @Test
    void aFormatOneEncodingIsTheDocumentedOne() throws Exception {
        // written by hand as a format 1 host wrote it: one service "x" with token byte 9
        ByteBuffer out = ByteBuffer.allocate(4 + 1 + 8 + 4 + 2 + 1 + 4 + 1 + 4);
        out.putInt(0x54485443).put((byte) 1).putLong(7).putInt(1).putShort((short) 1).put((byte) 'x').putInt(1)
                .put((byte) 9).putInt(0);
        TokenContainer decoded = TokenContainerCodec.decode(withCrc(out.array()));
        assertThat(decoded).isEqualTo(TokenContainer.of(7, Map.of("x", new byte[] {9})));
    }

    @Test
    void emptyContainerRoundTripsInBothFormats() throws Exception {
        assertThat(TokenContainerCodec.decode(TokenContainerCodec.encode(TokenContainer.empty(), 1)))
                .isEqualTo(TokenContainer.empty());
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
    void layoutIsAsDocumented() {
        Instant until = Instant.ofEpochMilli(1_795_000_000_000L);
        ByteBuffer in = ByteBuffer.wrap(TokenContainerCodec.encode(
                TokenContainer.of(7, Map.of("x", new byte[] {9}, "y", new byte[0]), Map.of("x", until))));
        assertThat(in.getInt()).isEqualTo(0x54485443);
        assertThat(in.get()).isEqualTo((byte) 2);
        assertThat(in.getLong()).isEqualTo(7);
        assertThat(in.getInt()).isEqualTo(2);
        assertThat(in.getShort()).isEqualTo((short) 1);
        assertThat(in.get()).isEqualTo((byte) 'x');
        assertThat(in.getLong()).isEqualTo(1_795_000_000_000L);
        assertThat(in.getInt()).isEqualTo(1);
        assertThat(in.get()).isEqualTo((byte) 9);
        assertThat(in.getShort()).isEqualTo((short) 1);
        assertThat(in.get()).isEqualTo((byte) 'y');
        assertThat(in.getLong()).as("no valid-until").isEqualTo(-1L);
        assertThat(in.getInt()).isEqualTo(0);
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
        future[4] = 3;
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(future)))
                .isInstanceOf(MalformedContainerException.class)
                .hasMessage("unsupported container format version 3; this host reads versions 1 to 2"
                        + " (written by a newer Tokenhost?)");
        byte[] zero = TokenContainerCodec.encode(sample());
        zero[4] = 0;
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(zero)))
                .hasMessage("unsupported container format version 0; this host reads versions 1 to 2");
    }

    @Test
    void refusesANegativeValidUntilOtherThanTheNoneSentinel() {
        byte[] encoded = TokenContainerCodec.encode(TokenContainer.of(1, Map.of("x", new byte[] {9})));
        // valid-until of the only entry: header 17 + name length 2 + name 1
        ByteBuffer.wrap(encoded).putLong(20, -2);
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(encoded)))
                .isInstanceOf(MalformedContainerException.class)
                .hasMessage("entry 0 at offset 20: valid-until -2 is neither -1 (none) nor milliseconds since the epoch");
        ByteBuffer.wrap(encoded).putLong(20, Long.MIN_VALUE);
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(encoded)))
                .isInstanceOf(MalformedContainerException.class).hasMessageContaining("valid-until");
    }

    @Test
    void aContainerCutInsideTheValidUntilIsRefusedAsTruncated() {
        byte[] encoded = TokenContainerCodec.encode(TokenContainer.of(1, Map.of("x", new byte[0])));
        byte[] cut = new byte[17 + 2 + 1 + 5 + 4]; // stops 3 bytes into the valid-until
        System.arraycopy(encoded, 0, cut, 0, cut.length - 4);
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(cut)))
                .isInstanceOf(MalformedContainerException.class).hasMessageContaining("truncated at offset");
    }

    @Test
    void refusesAHugeDeclaredTokenLengthWithoutAllocatingIt() {
        byte[] encoded = TokenContainerCodec.encode(TokenContainer.of(1, Map.of("x", new byte[] {9})));
        // token length field of the only entry: header 17 + name length 2 + name 1 + valid-until 8
        ByteBuffer.wrap(encoded).putInt(28, Integer.MAX_VALUE);
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(encoded)))
                .isInstanceOf(MalformedContainerException.class)
                .hasMessageContaining("token length 2147483647 is outside");
        ByteBuffer.wrap(encoded).putInt(28, 2); // only one token byte follows
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(encoded)))
                .hasMessageContaining("token length 2 is outside 0..1048576 or past the end");
        byte[] formatOne = TokenContainerCodec.encode(TokenContainer.of(1, Map.of("x", new byte[] {9})), 1);
        ByteBuffer.wrap(formatOne).putInt(20, -1);
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(formatOne)))
                .hasMessageContaining("token length 4294967295 is outside");
    }

    @Test
    void refusesAHugeDeclaredNameLength() {
        byte[] encoded = TokenContainerCodec.encode(TokenContainer.of(1, Map.of("x", new byte[] {9})));
        ByteBuffer.wrap(encoded).putShort(17, (short) 0xFFFF);
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(encoded)))
                .isInstanceOf(MalformedContainerException.class)
                .hasMessageContaining("service-name length 65535 is outside 1..128");
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
        // second entry's name sits at 17 + (2 + 1 + 8 + 4) + 2
        encoded[34] = 'a';
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
                .hasMessage("3 unexpected bytes at offset 17, after the last of 0 entries");
    }

    @Test
    void errorMessagesNeverQuoteTokenBytes() {
        byte[] secret = "SECRET-TOKEN-VALUE".getBytes(StandardCharsets.UTF_8);
        byte[] encoded = TokenContainerCodec.encode(TokenContainer.of(1, Map.of("svc", secret)));
        encoded[5] = 99; // a corrupt version byte, checksum left wrong
        assertThatThrownBy(() -> TokenContainerCodec.decode(encoded))
                .message().doesNotContain("SECRET");
        byte[] badExpiry = TokenContainerCodec.encode(TokenContainer.of(1, Map.of("svc", secret)));
        ByteBuffer.wrap(badExpiry).putLong(22, -7);
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(badExpiry)))
                .message().contains("valid-until").doesNotContain("SECRET");
        assertThat(TokenContainer.of(1, Map.of("svc", secret)).toString()).doesNotContain("SECRET");
    }

    /**
     * The README: malformed input is refused "naming the offset and the problem". Each input has a
     * valid checksum, so the parser behind it speaks. Kills: an offset taken after the field was read
     * (or not given) in {@code readName}, {@code readValidUntil}, {@code readTokens}, the ordering
     * check and the truncation handler.
     */
    @Test
    void everyRefusalBehindTheChecksumNamesTheEntryAndTheOffset() {
        byte[] badName = TokenContainerCodec.encode(TokenContainer.of(1, Map.of("a", new byte[0])));
        badName[19] = '\n';
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(badName)))
                .hasMessage("entry 0 at offset 17: service name breaks the naming rule");
        badName[19] = (byte) 0xC3;
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(badName)))
                .hasMessage("entry 0 at offset 17: service name is not valid UTF-8");

        byte[] longName = TokenContainerCodec.encode(TokenContainer.of(1, Map.of("x", new byte[] {9})));
        ByteBuffer.wrap(longName).putShort(17, (short) 129);
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(longName)))
                .hasMessage("entry 0 at offset 17: service-name length 129 is outside 1..128 or past the end");

        byte[] tokenPastTheEnd = TokenContainerCodec.encode(TokenContainer.of(1, Map.of("x", new byte[] {9})));
        ByteBuffer.wrap(tokenPastTheEnd).putInt(28, 2);
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(tokenPastTheEnd)))
                .hasMessage("entry 0 at offset 28: token length 2 is outside 0..1048576 or past the end");

        byte[] unordered = TokenContainerCodec.encode(TokenContainer.of(1, Map.of("a", new byte[0], "b", new byte[0])));
        unordered[34] = 'a';
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(unordered)))
                .hasMessage("entry 1 at offset 35: service names must be unique and ascending");

        byte[] encoded = TokenContainerCodec.encode(TokenContainer.of(1, Map.of("x", new byte[0])));
        byte[] cut = new byte[17 + 2 + 1 + 5 + 4]; // stops 5 bytes into the valid-until at offset 20
        System.arraycopy(encoded, 0, cut, 0, cut.length - 4);
        assertThatThrownBy(() -> TokenContainerCodec.decode(withCrc(cut)))
                .hasMessage("container truncated at offset 20");
    }

    /**
     * "No token bytes in the message", checked where the parser has just read a token and then
     * refuses (the checksum is valid, so it is not the checksum message that is checked): no form of
     * the secret (raw, hex, base64) may appear.
     */
    @Test
    void refusalsRightAfterTheTokenBytesNeverShowThem() {
        byte[] secret = "SECRET-TOKEN-VALUE-5b7d3e".getBytes(StandardCharsets.UTF_8);
        byte[] plain = TokenContainerCodec.encode(TokenContainer.of(1, Map.of("a", secret, "b", new byte[0])));
        int second = 17 + 2 + 1 + 8 + 4 + secret.length; // the second entry
        java.util.List<byte[]> refused = new java.util.ArrayList<>();

        byte[] unordered = plain.clone();
        unordered[second + 2] = 'a';
        refused.add(withCrc(unordered));
        byte[] badName = plain.clone();
        badName[second + 2] = '\u007f';
        refused.add(withCrc(badName));
        byte[] trailing = java.util.Arrays.copyOf(TokenContainerCodec.encode(TokenContainer.of(1, Map.of("a", secret))),
                17 + 2 + 1 + 8 + 4 + secret.length + 3 + 4);
        refused.add(withCrc(trailing));
        byte[] lengthPastTheEnd = TokenContainerCodec.encode(TokenContainer.of(1, Map.of("a", secret)));
        ByteBuffer.wrap(lengthPastTheEnd).putInt(17 + 2 + 1 + 8, secret.length + 1);
        refused.add(withCrc(lengthPastTheEnd));

        for (byte[] input : refused) {
            assertThatThrownBy(() -> TokenContainerCodec.decode(input))
                    .isInstanceOf(MalformedContainerException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("checksum").contains("offset"))
                    .satisfies(e -> SecretForms.assertAbsent("the refusal's message", e.getMessage(), secret));
        }
    }

    /** Recomputes the trailing CRC so that a test reaches the parser behind the checksum. */
    static byte[] withCrc(byte[] encoded) {
        CRC32C crc = new CRC32C();
        crc.update(encoded, 0, encoded.length - 4);
        ByteBuffer.wrap(encoded).putInt(encoded.length - 4, (int) crc.getValue());
        return encoded;
    }
}
