package io.tokenhost.s3.token;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The token bytes of the s3 service, version 1 (big-endian):
 *
 * <pre>
 * magic      4 bytes  "THS3"
 * version    1 byte   1
 * accessKeyId        u16 length + UTF-8
 * secretAccessKey    u16 length + UTF-8
 * sessionToken       u16 length + UTF-8
 * expiration 8 bytes  epoch milliseconds (signed)
 * </pre>
 *
 * Nothing may follow. Decoding checks every length against what is left and never echoes content
 * in its error messages.
 */
public final class CredentialsCodec {

    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'T', 'H', 'S', '3'};
    private static final int MAX_FIELD = 0xFFFF;

    private CredentialsCodec() {
    }

    public static byte[] encode(SessionCredentials credentials) {
        byte[] id = utf8(credentials.accessKeyId(), "accessKeyId");
        byte[] secret = utf8(credentials.secretAccessKey(), "secretAccessKey");
        byte[] token = utf8(credentials.sessionToken(), "sessionToken");
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 1 + 6 + id.length + secret.length + token.length + 8);
        out.put(MAGIC).put((byte) VERSION);
        for (byte[] field : new byte[][] {id, secret, token}) {
            out.putShort((short) field.length).put(field);
        }
        out.putLong(credentials.expiration().toEpochMilli());
        return out.array();
    }

    /**
     * @throws IllegalArgumentException when the bytes are not a version-1 encoding; the message
     *     says what is wrong, never what the bytes hold
     */
    public static SessionCredentials decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException("not s3 credentials: bad magic");
            }
            int version = in.get() & 0xFF;
            if (version != VERSION) {
                throw new IllegalArgumentException("unsupported s3 credentials version " + version
                        + " (this bundle reads " + VERSION + ")");
            }
            String id = field(in, "accessKeyId");
            String secret = field(in, "secretAccessKey");
            String token = field(in, "sessionToken");
            Instant expiration = Instant.ofEpochMilli(in.getLong());
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("s3 credentials: " + in.remaining() + " trailing bytes");
            }
            return new SessionCredentials(id, secret, token, expiration);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("s3 credentials truncated (" + bytes.length + " bytes)");
        }
    }

    private static String field(ByteBuffer in, String name) {
        int length = in.getShort() & 0xFFFF;
        if (length > in.remaining()) {
            throw new IllegalArgumentException("s3 credentials: " + name + " length " + length
                    + " exceeds the " + in.remaining() + " bytes left");
        }
        byte[] raw = new byte[length];
        in.get(raw);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("s3 credentials: " + name + " is not UTF-8");
        }
    }

    private static byte[] utf8(String value, String name) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_FIELD) {
            throw new IllegalArgumentException(name + " longer than " + MAX_FIELD + " bytes");
        }
        return bytes;
    }
}
