package io.tokenhost.host.common;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The console wire format: one request and one response per connection, big-endian.
 *
 * <pre>
 * request:  u8 version (1) | i32 length (1..65536) | command line, UTF-8
 * response: i32 length (0..4 MiB) | output, UTF-8 (stdout and stderr interleaved) | i32 exit status
 * </pre>
 *
 * Exit status: {@link #OK}, {@link #FAILED} (the command threw, or is unknown), {@link #BAD_REQUEST},
 * {@link #BUSY}, {@link #NOT_PERMITTED}. Everything read is bounded before it is allocated. The
 * host's console server and the launcher's console client both use this class: the core bundle
 * copies it in (bnd -conditionalpackage), the launcher has this jar on its class path.
 */
public final class ConsoleProtocol {

    public static final int VERSION = 1;
    public static final int MAX_REQUEST = 64 * 1024;
    public static final int MAX_OUTPUT = 4 * 1024 * 1024;

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_REQUEST = 64;
    public static final int BUSY = 75;
    public static final int NOT_PERMITTED = 77;

    private ConsoleProtocol() {
    }

    /** Thrown for a request that breaks the format; the connection answers {@link #BAD_REQUEST}. */
    public static final class MalformedRequestException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedRequestException(String message) {
            super(message);
        }
    }

    public static String readRequest(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int version = data.read();
        if (version == -1) {
            throw new EOFException("connection closed before a request");
        }
        if (version != VERSION) {
            throw new MalformedRequestException("unsupported console protocol version " + version);
        }
        int length = data.readInt();
        if (length < 1 || length > MAX_REQUEST) {
            throw new MalformedRequestException("command line length " + length + " not in 1.." + MAX_REQUEST);
        }
        byte[] bytes = data.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("request cut short");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedRequestException("command line is not valid UTF-8");
        }
    }

    public static void writeRequest(OutputStream out, String commandLine) throws IOException {
        byte[] bytes = commandLine.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 1 || bytes.length > MAX_REQUEST) {
            throw new IllegalArgumentException("command line must be 1.." + MAX_REQUEST + " bytes of UTF-8");
        }
        DataOutputStream data = new DataOutputStream(out);
        data.writeByte(VERSION);
        data.writeInt(bytes.length);
        data.write(bytes);
        data.flush();
    }

    public static void writeResponse(OutputStream out, byte[] output, int status) throws IOException {
        if (output.length > MAX_OUTPUT) {
            throw new IllegalArgumentException("output exceeds " + MAX_OUTPUT + " bytes");
        }
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(output.length);
        data.write(output);
        data.writeInt(status);
        data.flush();
    }

    public static void writeResponse(OutputStream out, String output, int status) throws IOException {
        writeResponse(out, output.getBytes(StandardCharsets.UTF_8), status);
    }

    public static CommandResult readResponse(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int length = data.readInt();
        if (length < 0 || length > MAX_OUTPUT) {
            throw new IOException("malformed console response (output length " + length + ")");
        }
        byte[] output = data.readNBytes(length);
        if (output.length != length) {
            throw new EOFException("response cut short");
        }
        return new CommandResult(output, data.readInt());
    }
}
