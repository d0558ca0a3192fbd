package io.tokenhost.host.console;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Collects output up to a limit; beyond it, drops the rest and ends with a truncation note. */
final class BoundedOutput extends OutputStream {

    private static final byte[] TRUNCATED =
            "\n[output truncated by the tokenhost console]\n".getBytes(StandardCharsets.UTF_8);

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final int limit;
    private boolean truncated;

    BoundedOutput(int limit) {
        this.limit = limit - TRUNCATED.length;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int room = limit - buffer.size();
        if (len > room) {
            truncated = true;
        }
        buffer.write(b, off, Math.max(0, Math.min(len, room)));
    }

    synchronized byte[] toByteArray() {
        if (!truncated) {
            return buffer.toByteArray();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(buffer.size() + TRUNCATED.length);
        out.writeBytes(buffer.toByteArray());
        out.writeBytes(TRUNCATED);
        return out.toByteArray();
    }
}
