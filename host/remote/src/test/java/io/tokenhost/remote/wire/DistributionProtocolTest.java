package io.tokenhost.remote.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The raw-bytes marshalling of the Subscribe stream and its size limits. */
class DistributionProtocolTest {

    /**
     * Kills: the marshaller's limit check ({@code bytes.length > limit}) negated or moved by one,
     * and reading fewer bytes than the limit allows. A manager frame of exactly 16 MiB + 9 bytes
     * passes, one byte more is refused without echoing it.
     */
    @Test
    void framesUpToTheLimitPassAndOneByteMoreIsRefused() {
        byte[] largest = new byte[Frames.MAX_MANAGER_FRAME];
        largest[largest.length - 1] = 42;
        byte[] parsed = DistributionProtocol.SUBSCRIBE.parseResponse(new ByteArrayInputStream(largest));
        assertThat(parsed).hasSize(Frames.MAX_MANAGER_FRAME);
        assertThat(parsed[parsed.length - 1]).isEqualTo((byte) 42);
        assertThatThrownBy(() -> DistributionProtocol.SUBSCRIBE.parseResponse(
                new ByteArrayInputStream(new byte[Frames.MAX_MANAGER_FRAME + 1])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("message exceeds " + Frames.MAX_MANAGER_FRAME + " bytes");

        assertThat(DistributionProtocol.SUBSCRIBE.parseRequest(new ByteArrayInputStream(new byte[256]))).hasSize(256);
        assertThatThrownBy(() -> DistributionProtocol.SUBSCRIBE.parseRequest(new ByteArrayInputStream(new byte[257])))
                .hasMessage("message exceeds 256 bytes");
        assertThat(DistributionProtocol.SUBSCRIBE.parseRequest(new ByteArrayInputStream(new byte[0]))).isEmpty();
    }

    /** Kills: {@code drainTo} writing the wrong range or not reporting how much it wrote. */
    @Test
    void aFrameIsStreamedWholeInOneGoWithItsLengthKnown() throws Exception {
        byte[] frame = Frames.ack(3, 9);
        InputStream stream = DistributionProtocol.SUBSCRIBE.streamRequest(frame);
        assertThat(stream).isInstanceOf(KnownLength.class).isInstanceOf(Drainable.class);
        assertThat(stream.available()).isEqualTo(frame.length);
        assertThat(stream.read()).isEqualTo(Frames.ACK);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int drained = ((Drainable) stream).drainTo(out);

        assertThat(drained).isEqualTo(frame.length - 1);
        assertThat(out.toByteArray()).isEqualTo(java.util.Arrays.copyOfRange(frame, 1, frame.length));
        assertThat(stream.available()).isZero();
        assertThat(((Drainable) stream).drainTo(out)).isZero();
    }
}
