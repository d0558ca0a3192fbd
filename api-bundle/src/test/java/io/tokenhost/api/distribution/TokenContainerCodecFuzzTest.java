package io.tokenhost.api.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds the decoder random and mutated input with a fixed seed (so a failure reproduces): every
 * input must either decode to a container that re-encodes to the same bytes, or be refused with
 * {@link MalformedContainerException}. Any other exception fails the test. Mutations get a
 * fresh checksum so that they reach the parser rather than stopping at the CRC. Seeds are in both
 * formats: 2 (with and without valid-until) and 1.
 */
class TokenContainerCodecFuzzTest {

    private static final int ROUNDS = 200_000;

    @Test
    void mutatedContainersDecodeCanonicallyOrAreRefused() {
        Random random = new Random(20261123L);
        byte[][] seeds = {seed(random, 0, 2), seed(random, 1, 2), seed(random, 3, 2), seed(random, 12, 2),
            seed(random, 1, 1), seed(random, 4, 1)};
        int decoded = 0;
        int refused = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = mutate(random, seeds[round % seeds.length]);
            if (random.nextInt(4) != 0) {
                input = TokenContainerCodecTest.withCrc(input);
            }
            if (check(input)) {
                decoded++;
            } else {
                refused++;
            }
        }
        // Both outcomes must really occur, or the fuzzer is not exercising the parser.
        assertThat(decoded).isGreaterThan(ROUNDS / 100);
        assertThat(refused).isGreaterThan(ROUNDS / 100);
    }

    @Test
    void randomBytesAreRefused() {
        Random random = new Random(7L);
        for (int round = 0; round < 20_000; round++) {
            byte[] input = new byte[random.nextInt(300)];
            random.nextBytes(input);
            if (input.length >= 21 && random.nextBoolean()) {
                input = TokenContainerCodecTest.withCrc(input);
            }
            assertThat(check(input)).as("random input decoded").isFalse();
        }
    }

    /**
     * @return true if the input decoded (and re-encodes to itself), false if it was refused. Any
     *     other exception fails the test naming it; errors (a failed assertion, running out of
     *     memory) are not caught at all, so each fails as itself.
     */
    private static boolean check(byte[] input) {
        TokenContainer container;
        try {
            container = TokenContainerCodec.decode(input);
        } catch (MalformedContainerException expected) {
            return false;
        } catch (RuntimeException e) {
            throw new AssertionError("decoder threw " + e + " instead of MalformedContainerException", e);
        }
        assertThat(TokenContainerCodec.encode(container, input[4])).as("the decoded container re-encoded").isEqualTo(input);
        return true;
    }

    private static byte[] seed(Random random, int services, int format) {
        Map<String, byte[]> tokens = new HashMap<>();
        Map<String, Instant> validUntil = new HashMap<>();
        for (int i = 0; i < services; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            tokens.put("svc-" + i, bytes);
            if (format == 2 && random.nextBoolean()) {
                validUntil.put("svc-" + i, Instant.ofEpochMilli(random.nextLong() & Long.MAX_VALUE));
            }
        }
        return TokenContainerCodec.encode(TokenContainer.of(random.nextInt(1000), tokens, validUntil), format);
    }

    private static byte[] mutate(Random random, byte[] seed) {
        byte[] out = seed.clone();
        switch (random.nextInt(4)) {
            case 0 -> out[random.nextInt(out.length)] = (byte) random.nextInt(256);
            case 1 -> {
                int cut = random.nextInt(out.length);
                byte[] shorter = new byte[Math.max(cut, 0)];
                System.arraycopy(out, 0, shorter, 0, shorter.length);
                return shorter.length < 4 ? out : shorter;
            }
            case 2 -> {
                int at = random.nextInt(out.length);
                out[at] = (byte) (out[at] ^ (1 << random.nextInt(8)));
            }
            default -> {
                // a version or a token byte changed: still a valid container
                int at = 5 + random.nextInt(8);
                out[at] = (byte) (random.nextInt(64));
            }
        }
        return out;
    }
}
