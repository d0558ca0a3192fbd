package io.tokenhost.host.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class BoundedOutputTest {

    @Test
    void keepsOutputUnderTheLimitIntact() {
        BoundedOutput out = new BoundedOutput(1000);
        out.write("hello".getBytes(StandardCharsets.UTF_8), 0, 5);
        assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }

    @Test
    void truncatesAtTheLimitWithANote() {
        BoundedOutput out = new BoundedOutput(200);
        byte[] chunk = "x".repeat(150).getBytes(StandardCharsets.UTF_8);
        out.write(chunk, 0, chunk.length);
        out.write(chunk, 0, chunk.length);
        out.write('#');

        byte[] result = out.toByteArray();
        assertThat(result.length).isLessThanOrEqualTo(200);
        assertThat(new String(result, StandardCharsets.UTF_8)).endsWith("[output truncated by the tokenhost console]\n")
                .doesNotContain("#");
    }
}
