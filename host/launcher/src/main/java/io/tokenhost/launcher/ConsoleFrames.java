package io.tokenhost.launcher;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Client side of the local console protocol. The server side, which defines the protocol, is
 * {@code io.tokenhost.host.console.ConsoleProtocol} in the host bundle; the two cannot share a
 * class (the launcher is not a bundle and must not carry host classes), so they are kept in step
 * by the process-level tests in {@code itests}.
 *
 * <pre>
 * request:  u8 version (1) | i32 length (1..65536) | command line, UTF-8
 * response: i32 length (0..4 MiB) | output, UTF-8 | i32 exit status
 * </pre>
 */
final class ConsoleFrames {

    static final int VERSION = 1;
    static final int MAX_REQUEST = 64 * 1024;
    static final int MAX_OUTPUT = 4 * 1024 * 1024;

    /** The decoded response. */
    record Response(String output, int status) {
    }

    private ConsoleFrames() {
    }

    static void writeRequest(OutputStream out, String commandLine) throws IOException {
        byte[] bytes = commandLine.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_REQUEST) {
            throw new IllegalArgumentException("command line must be 1.." + MAX_REQUEST + " bytes of UTF-8");
        }
        DataOutputStream data = new DataOutputStream(out);
        data.writeByte(VERSION);
        data.writeInt(bytes.length);
        data.write(bytes);
        data.flush();
    }

    static Response readResponse(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int length = data.readInt();
        if (length < 0 || length > MAX_OUTPUT) {
            throw new IOException("malformed console response (output length " + length + ")");
        }
        byte[] output = data.readNBytes(length);
        if (output.length != length) {
            throw new EOFException("console response cut short");
        }
        return new Response(new String(output, StandardCharsets.UTF_8), data.readInt());
    }
}
