package io.tokenhost.host.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class ConsoleProtocolTest {

    private static byte[] request(int version, int length, byte[] body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(version);
        out.writeInt(length);
        out.write(body);
        return bytes.toByteArray();
    }

    @Test
    void requestRoundTripsUtf8() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProtocol.writeRequest(bytes, "echo grüße ✓");

        byte[] wire = bytes.toByteArray();
        assertThat(wire[0]).isEqualTo((byte) 1);
        assertThat(ByteBuffer.wrap(wire, 1, 4).getInt()).isEqualTo(wire.length - 5);
        assertThat(ConsoleProtocol.readRequest(new ByteArrayInputStream(wire))).isEqualTo("echo grüße ✓");
    }

    @Test
    void acceptsTheMaximumRequestAndRefusesOneByteMore() throws IOException {
        byte[] max = "a".repeat(ConsoleProtocol.MAX_REQUEST).getBytes();
        assertThat(ConsoleProtocol.readRequest(new ByteArrayInputStream(request(1, max.length, max))))
                .hasSize(ConsoleProtocol.MAX_REQUEST);

        // The length is refused before anything is allocated or read.
        assertThatThrownBy(() -> ConsoleProtocol.readRequest(
                new ByteArrayInputStream(request(1, ConsoleProtocol.MAX_REQUEST + 1, new byte[0]))))
                .isInstanceOf(ConsoleProtocol.MalformedRequestException.class);
        assertThatThrownBy(() -> ConsoleProtocol.writeRequest(new ByteArrayOutputStream(),
                "a".repeat(ConsoleProtocol.MAX_REQUEST + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesEmptyNegativeWrongVersionAndInvalidUtf8() {
        assertThatThrownBy(() -> ConsoleProtocol.readRequest(new ByteArrayInputStream(request(1, 0, new byte[0]))))
                .isInstanceOf(ConsoleProtocol.MalformedRequestException.class);
        assertThatThrownBy(() -> ConsoleProtocol.readRequest(new ByteArrayInputStream(request(1, -5, new byte[0]))))
                .isInstanceOf(ConsoleProtocol.MalformedRequestException.class);
        assertThatThrownBy(() -> ConsoleProtocol.readRequest(new ByteArrayInputStream(request(2, 2, "lb".getBytes()))))
                .isInstanceOf(ConsoleProtocol.MalformedRequestException.class)
                .hasMessageContaining("version 2");
        byte[] invalid = {(byte) 0xC3, (byte) 0x28};
        assertThatThrownBy(() -> ConsoleProtocol.readRequest(new ByteArrayInputStream(request(1, 2, invalid))))
                .isInstanceOf(ConsoleProtocol.MalformedRequestException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void truncatedInputIsEndOfFileNotAMalformedRequest() throws IOException {
        byte[] cut = request(1, 10, "lb".getBytes());
        assertThatThrownBy(() -> ConsoleProtocol.readRequest(new ByteArrayInputStream(cut)))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> ConsoleProtocol.readRequest(new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void responseRoundTripsOutputAndStatus() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProtocol.writeResponse(bytes, "out\n", 77);

        CommandResult r = ConsoleProtocol.readResponse(new ByteArrayInputStream(bytes.toByteArray()));

        assertThat(r.outputText()).isEqualTo("out\n");
        assertThat(r.status()).isEqualTo(77);
    }

    @Test
    void responseLengthIsBounded() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DataOutputStream(bytes).writeInt(ConsoleProtocol.MAX_OUTPUT + 1);
        assertThatThrownBy(() -> ConsoleProtocol.readResponse(new ByteArrayInputStream(bytes.toByteArray())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("malformed");
    }
}
