package io.tokenhost.hadoop.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {

    @Test
    void theTokenFileComesFromTheEnvironmentUnlessGiven() {
        assertThat(AgentOptions.parse(null, Map.of("HADOOP_TOKEN_FILE_LOCATION", "/t/hadoop.token")))
                .isEqualTo(new AgentOptions(Path.of("/t/hadoop.token"), Duration.ofSeconds(1)));
        assertThat(AgentOptions.parse("file=/x/y.token,poll=250ms", Map.of("HADOOP_TOKEN_FILE_LOCATION", "/t/hadoop.token")))
                .isEqualTo(new AgentOptions(Path.of("/x/y.token"), Duration.ofMillis(250)));
        assertThat(AgentOptions.parse("poll=2m", Map.of("HADOOP_TOKEN_FILE_LOCATION", "/t/h")).poll()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void badArgumentsAreRefusedNamingThem() {
        assertThatThrownBy(() -> AgentOptions.parse("", Map.of()))
                .hasMessage("no token file: set HADOOP_TOKEN_FILE_LOCATION or give file=<token file>");
        assertThatThrownBy(() -> AgentOptions.parse("poll=soon", Map.of("HADOOP_TOKEN_FILE_LOCATION", "/t")))
                .hasMessage("poll: must be from 100ms to 1h, such as 500ms, 1s or 2m, got 'soon'");
        assertThatThrownBy(() -> AgentOptions.parse("poll=10ms", Map.of("HADOOP_TOKEN_FILE_LOCATION", "/t")))
                .hasMessageStartingWith("poll: must be from 100ms");
        assertThatThrownBy(() -> AgentOptions.parse("fil=/t", Map.of()))
                .hasMessageStartingWith("unknown argument 'fil'");
        assertThatThrownBy(() -> AgentOptions.parse("file=", Map.of())).hasMessage("file: must be a path, got ''");
    }
}
