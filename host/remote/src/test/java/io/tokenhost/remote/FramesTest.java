package io.tokenhost.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.distribution.TokenContainerCodec;
import io.tokenhost.remote.wire.Frames;
import io.tokenhost.remote.wire.MalformedFrameException;
import io.tokenhost.remote.wire.ManagerFrame;
import io.tokenhost.remote.wire.WorkerFrame;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FramesTest {

    private static final String CANARY = "CANARY-frame-secret";

    @Test
    void everyFrameRoundTrips() throws Exception {
        assertThat(Frames.parseWorkerFrame(Frames.hello("worker-1.a"))).isEqualTo(new WorkerFrame.Hello("worker-1.a", 2, false, false));
        assertThat(Frames.parseWorkerFrame(Frames.hello("w", true))).isEqualTo(new WorkerFrame.Hello("w", 2, true, false));
        assertThat(Frames.parseWorkerFrame(Frames.hello("w", false, true))).isEqualTo(new WorkerFrame.Hello("w", 2, false, true));
        assertThat(Frames.parseWorkerFrame(Frames.helloProtocol1("w"))).isEqualTo(new WorkerFrame.Hello("w", 1, false, false));
        assertThat(Frames.parseManagerFrame(Frames.welcome(5, true))).isEqualTo(new ManagerFrame.Welcome(5, true));
        assertThat(Frames.parseManagerFrame(Frames.welcome(5, false))).isEqualTo(new ManagerFrame.Welcome(5, false));
        assertThat(Frames.parseWorkerFrame(Frames.ack(-5, 42))).isEqualTo(new WorkerFrame.Ack(-5, 42));
        assertThat(Frames.parseManagerFrame(Frames.welcome(99))).isEqualTo(new ManagerFrame.Welcome(99, false));
        TokenContainer c = TokenContainer.of(3, Map.of("s3", new byte[] {1, 2, 3}));
        assertThat(Frames.parseManagerFrame(Frames.push(7, TokenContainerCodec.encode(c))))
                .isEqualTo(new ManagerFrame.Push(7, c));
    }

    @Test
    void badWorkerFramesAreRefusedWithAReason() {
        assertThatThrownBy(() -> Frames.parseWorkerFrame(new byte[0])).isInstanceOf(MalformedFrameException.class);
        assertThatThrownBy(() -> Frames.parseWorkerFrame(new byte[300])).hasMessageContaining("outside 1..256");
        assertThatThrownBy(() -> Frames.parseWorkerFrame(new byte[] {Frames.HELLO, 3, 'a'}))
                .hasMessageContaining("unsupported protocol version 3");
        assertThatThrownBy(() -> Frames.parseWorkerFrame(new byte[] {Frames.HELLO, 0, 'a'}))
                .hasMessageContaining("unsupported protocol version 0");
        assertThatThrownBy(() -> Frames.parseWorkerFrame(new byte[] {Frames.HELLO, 1, ' ', '!'}))
                .hasMessageContaining("naming rule");
        assertThatThrownBy(() -> Frames.parseWorkerFrame(new byte[] {Frames.ACK, 1}))
                .hasMessageContaining("17 expected");
        assertThatThrownBy(() -> Frames.hello("bad id")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCorruptContainerIsRefusedWithoutShowingItsContent() {
        byte[] encoded = TokenContainerCodec.encode(
                TokenContainer.of(1, Map.of("example", CANARY.getBytes(StandardCharsets.UTF_8))));
        encoded[encoded.length - 1] ^= 1;
        assertThatThrownBy(() -> Frames.parseManagerFrame(Frames.push(1, encoded)))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("checksum")
                .message().doesNotContain(CANARY).doesNotContain("CANARY");
    }

    @Test
    void randomManagerFramesNeverThrowAnythingButMalformedFrame() {
        Random random = new Random(1);
        byte[] valid = Frames.push(1, TokenContainerCodec.encode(
                TokenContainer.of(1, Map.of("example", CANARY.getBytes(StandardCharsets.UTF_8)))));
        for (int i = 0; i < 5000; i++) {
            byte[] frame = i % 2 == 0 ? new byte[random.nextInt(64)] : Arrays.copyOf(valid, random.nextInt(valid.length + 1));
            if (i % 2 == 0) {
                random.nextBytes(frame);
            } else if (frame.length > 0) {
                frame[random.nextInt(frame.length)] ^= (byte) (1 + random.nextInt(255));
            }
            try {
                Frames.parseManagerFrame(frame);
            } catch (MalformedFrameException e) {
                assertThat(e.getMessage()).doesNotContain("CANARY");
            }
        }
    }
}
