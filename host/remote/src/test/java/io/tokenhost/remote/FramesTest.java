package io.tokenhost.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.distribution.TokenContainerCodec;
import io.tokenhost.itests.support.SecretForms;
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

    /**
     * "No token bytes in the message" where the container's checksum is valid and the parser
     * refuses it after reading the token (two entries of the same name), so that it is not the
     * checksum message that is checked. Kills: {@code parseManagerFrame} passing the container's
     * bytes into its message.
     */
    @Test
    void aContainerRefusedBehindAValidChecksumShowsNoFormOfItsTokens() {
        byte[] secret = CANARY.getBytes(StandardCharsets.UTF_8);
        byte[] encoded = TokenContainerCodec.encode(TokenContainer.of(1, Map.of("a", secret, "b", new byte[0])));
        encoded[17 + 2 + 1 + 8 + 4 + secret.length + 2] = 'a'; // the second entry is named "a" too
        byte[] frame = Frames.push(1, withCrc(encoded));

        assertThatThrownBy(() -> Frames.parseManagerFrame(frame))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageStartingWith("malformed container: entry 1 at offset ")
                .hasMessageEndingWith(": service names must be unique and ascending")
                .satisfies(e -> SecretForms.assertAbsent("the refusal", e.getMessage(), secret));
    }

    /** Kills: the manager-frame size check's bounds ({@code < 9}, {@code > MAX_MANAGER_FRAME}) moved or dropped. */
    @Test
    void managerFramesOutsideNineBytesToTheCapAreRefused() throws Exception {
        assertThatThrownBy(() -> Frames.parseManagerFrame(new byte[8]))
                .hasMessage("manager frame of 8 bytes is outside 9.." + Frames.MAX_MANAGER_FRAME);
        byte[] overCap = new byte[Frames.MAX_MANAGER_FRAME + 1];
        overCap[0] = Frames.WELCOME;
        assertThatThrownBy(() -> Frames.parseManagerFrame(overCap))
                .hasMessage("manager frame of " + (Frames.MAX_MANAGER_FRAME + 1) + " bytes is outside 9.."
                        + Frames.MAX_MANAGER_FRAME);
        byte[] nine = Frames.welcome(4);
        assertThat(Frames.parseManagerFrame(nine)).isEqualTo(new ManagerFrame.Welcome(4, false));
        assertThatThrownBy(() -> Frames.parseManagerFrame(java.util.Arrays.copyOf(nine, 11)))
                .hasMessage("welcome frame of 11 bytes; 9 or 10 expected");
        byte[] unknown = Frames.welcome(4);
        unknown[0] = 0x13;
        assertThatThrownBy(() -> Frames.parseManagerFrame(unknown)).hasMessage("unknown manager frame type 19");
    }

    /**
     * Random and damaged frames: each is either refused with {@link MalformedFrameException}, whose
     * message shows no form of the token, or parsed; anything else thrown fails the test. Most must
     * be refused, or the parser is not being exercised.
     */
    @Test
    void randomManagerFramesAreRefusedWithoutShowingTheTokenOrParsed() {
        Random random = new Random(1);
        byte[] secret = CANARY.getBytes(StandardCharsets.UTF_8);
        byte[] valid = Frames.push(1, TokenContainerCodec.encode(TokenContainer.of(1, Map.of("example", secret))));
        int refused = 0;
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
                refused++;
                SecretForms.assertAbsent("the refusal of frame " + i, e.getMessage(), secret);
            }
        }
        assertThat(refused).as("frames refused of 5000").isGreaterThan(4000);
    }

    /** Recomputes a container's trailing CRC-32C, so that a test reaches the parser behind the checksum. */
    private static byte[] withCrc(byte[] encoded) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(encoded, 0, encoded.length - 4);
        java.nio.ByteBuffer.wrap(encoded).putInt(encoded.length - 4, (int) crc.getValue());
        return encoded;
    }
}
