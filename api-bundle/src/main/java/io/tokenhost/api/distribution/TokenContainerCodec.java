package io.tokenhost.api.distribution;

import io.tokenhost.api.ServiceNames;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The wire form of a {@link TokenContainer}. {@link #encode} writes format version 2; {@link
 * #decode} reads versions 1 and 2 and refuses any other. All integers are big-endian.
 *
 * <pre>
 * size  field
 * 4     magic "THTC" (0x54 0x48 0x54 0x43)
 * 1     format version: 2 (1 is still read)
 * 8     container version, &gt;= 0
 * 4     entry count n, 0..1024
 * n times, service names strictly ascending (so each container has exactly one encoding):
 *   2   service-name length L, 1..128
 *   L   service name, UTF-8, as {@link ServiceNames}
 *   8   (format 2 only) valid-until, milliseconds since 1970-01-01T00:00:00Z, &gt;= 0;
 *       -1 (all bits set) when the provider gave none. Format 1 has no such field: no valid-until.
 *   4   token length T, 0..1 MiB
 *   T   token bytes
 * 4     CRC-32C of every byte before it
 * </pre>
 *
 * <p>Decoding checks every length against the bytes that remain before allocating anything, so
 * hostile input cannot make it allocate more than the input's own size.
 *
 * <p>Readers of format 1 only (hosts before API 1.1 of this package) refuse format 2 as an
 * unsupported version: upgrade workers before their manager.
 */
public final class TokenContainerCodec {

    /** The format {@link #encode} writes. */
    public static final int FORMAT_VERSION = 2;
    /**
     * The oldest format {@link #decode} still reads (it has no valid-until).
     *
     * @since 1.1
     */
    public static final int OLDEST_FORMAT_VERSION = 1;
    /**
     * The valid-until field's value for "the provider gave none" (format 2).
     *
     * @since 1.1
     */
    public static final long NO_VALID_UNTIL = -1;
    /** The largest encoding accepted: every service at its limit would not fit, by design. */
    public static final int MAX_ENCODED_BYTES = 16 << 20;

    private static final int MAGIC = 0x54485443;
    private static final int HEADER_BYTES = 4 + 1 + 8 + 4;
    private static final int CRC_BYTES = 4;

    private TokenContainerCodec() {
    }

    /** The container in format {@value #FORMAT_VERSION}. */
    public static byte[] encode(TokenContainer container) {
        return encode(container, FORMAT_VERSION);
    }

    /**
     * The container in the given format; format 1 only for a container without valid-until
     * instants (it cannot carry them). Package-private: tests make format 1 input with it.
     */
    static byte[] encode(TokenContainer container, int format) {
        if (format != 1 && format != 2) {
            throw new IllegalArgumentException("cannot write container format " + format);
        }
        Map<String, byte[]> entries = container.entries();
        Map<String, Instant> validUntils = container.validUntils();
        if (format == 1 && !validUntils.isEmpty()) {
            throw new IllegalArgumentException("container format 1 cannot carry valid-until instants");
        }
        int size = HEADER_BYTES + CRC_BYTES;
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            size += 2 + utf8(e.getKey()).length + (format == 1 ? 0 : 8) + 4 + e.getValue().length;
        }
        if (size > MAX_ENCODED_BYTES) {
            throw new IllegalArgumentException(
                    "container encodes to " + size + " bytes; at most " + MAX_ENCODED_BYTES + " are allowed");
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(MAGIC).put((byte) format).putLong(container.version()).putInt(entries.size());
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] name = utf8(e.getKey());
            out.putShort((short) name.length).put(name);
            if (format == 2) {
                Instant until = validUntils.get(e.getKey());
                out.putLong(until == null ? NO_VALID_UNTIL : until.toEpochMilli());
            }
            out.putInt(e.getValue().length).put(e.getValue());
        }
        out.putInt((int) crc(out.array(), out.position()));
        return out.array();
    }

    /**
     * @throws MalformedContainerException naming the first problem found and its offset
     */
    public static TokenContainer decode(byte[] bytes) throws MalformedContainerException {
        if (bytes == null) {
            throw new MalformedContainerException("no bytes to decode");
        }
        if (bytes.length > MAX_ENCODED_BYTES) {
            throw new MalformedContainerException("container of " + bytes.length
                    + " bytes exceeds the limit of " + MAX_ENCODED_BYTES);
        }
        if (bytes.length < HEADER_BYTES + CRC_BYTES) {
            throw new MalformedContainerException("container of " + bytes.length
                    + " bytes is shorter than the minimum of " + (HEADER_BYTES + CRC_BYTES));
        }
        int bodyLength = bytes.length - CRC_BYTES;
        long expectedCrc = ByteBuffer.wrap(bytes, bodyLength, CRC_BYTES).getInt() & 0xFFFFFFFFL;
        if (crc(bytes, bodyLength) != expectedCrc) {
            throw new MalformedContainerException("container checksum mismatch (corrupt or truncated)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, bodyLength);
        try {
            return decodeBody(in);
        } catch (BufferUnderflowException e) {
            throw new MalformedContainerException("container truncated at offset " + in.position());
        }
    }

    private static TokenContainer decodeBody(ByteBuffer in) throws MalformedContainerException {
        if (in.getInt() != MAGIC) {
            throw new MalformedContainerException("not a token container (bad magic)");
        }
        int format = in.get() & 0xFF;
        if (format < OLDEST_FORMAT_VERSION || format > FORMAT_VERSION) {
            throw new MalformedContainerException("unsupported container format version " + format
                    + "; this host reads versions " + OLDEST_FORMAT_VERSION + " to " + FORMAT_VERSION
                    + (format > FORMAT_VERSION ? " (written by a newer Tokenhost?)" : ""));
        }
        long version = in.getLong();
        if (version < 0) {
            throw new MalformedContainerException("negative container version " + version);
        }
        int count = in.getInt();
        if (count < 0 || count > TokenContainer.MAX_SERVICES) {
            throw new MalformedContainerException("entry count " + Integer.toUnsignedString(count)
                    + " is outside 0.." + TokenContainer.MAX_SERVICES);
        }
        TreeMap<String, byte[]> tokens = new TreeMap<>();
        TreeMap<String, Instant> validUntils = new TreeMap<>();
        String previous = null;
        for (int i = 0; i < count; i++) {
            String name = readName(in, i);
            if (previous != null && previous.compareTo(name) >= 0) {
                throw new MalformedContainerException("entry " + i + " at offset " + in.position()
                        + ": service names must be unique and ascending");
            }
            if (format >= 2) {
                readValidUntil(in, i).ifPresent(until -> validUntils.put(name, until));
            }
            tokens.put(name, readTokens(in, i));
            previous = name;
        }
        if (in.hasRemaining()) {
            throw new MalformedContainerException(in.remaining() + " unexpected bytes at offset " + in.position()
                    + ", after the last of " + count + " entries");
        }
        return TokenContainer.of(version, tokens, validUntils);
    }

    private static Optional<Instant> readValidUntil(ByteBuffer in, int entry) throws MalformedContainerException {
        int offset = in.position();
        long millis = in.getLong();
        if (millis == NO_VALID_UNTIL) {
            return Optional.empty();
        }
        if (millis < 0) {
            throw new MalformedContainerException("entry " + entry + " at offset " + offset + ": valid-until " + millis
                    + " is neither " + NO_VALID_UNTIL + " (none) nor milliseconds since the epoch");
        }
        return Optional.of(Instant.ofEpochMilli(millis));
    }

    private static String readName(ByteBuffer in, int entry) throws MalformedContainerException {
        int offset = in.position();
        int length = in.getShort() & 0xFFFF;
        if (length < 1 || length > ServiceNames.MAX_LENGTH || length > in.remaining()) {
            throw new MalformedContainerException("entry " + entry + " at offset " + offset
                    + ": service-name length " + length + " is outside 1.." + ServiceNames.MAX_LENGTH
                    + " or past the end");
        }
        byte[] raw = new byte[length];
        in.get(raw);
        String name;
        try {
            name = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedContainerException("entry " + entry + " at offset " + offset
                    + ": service name is not valid UTF-8");
        }
        if (!ServiceNames.isValid(name)) {
            throw new MalformedContainerException("entry " + entry + " at offset " + offset
                    + ": service name breaks the naming rule");
        }
        return name;
    }

    private static byte[] readTokens(ByteBuffer in, int entry) throws MalformedContainerException {
        int offset = in.position();
        int length = in.getInt();
        if (length < 0 || length > TokenContainer.MAX_TOKEN_BYTES || length > in.remaining()) {
            throw new MalformedContainerException("entry " + entry + " at offset " + offset
                    + ": token length " + Integer.toUnsignedString(length) + " is outside 0.."
                    + TokenContainer.MAX_TOKEN_BYTES + " or past the end");
        }
        byte[] tokens = new byte[length];
        in.get(tokens);
        return tokens;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
