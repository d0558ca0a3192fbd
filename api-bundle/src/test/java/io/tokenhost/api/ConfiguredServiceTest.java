package io.tokenhost.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfiguredServiceTest {

    @interface Config {
        String timeout() default "30s";
    }

    private final List<String> events = new ArrayList<>();
    private final ConfiguredService<Duration> service = new ConfiguredService<>(
            new Configured<>("io.tokenhost.test", Config.class, values -> values.duration("timeout"), events::add, events::add),
            timeout -> {
                events.add("start " + Durations.format(timeout));
                return () -> events.add("stop " + Durations.format(timeout));
            });

    @Test
    void aRefusedFirstConfigurationStartsNothingAndTheFixedOneStarts() throws Exception {
        service.apply(Map.of("timeout", "never"));
        assertThat(service.isRunning()).isFalse();
        assertThat(events).singleElement().asString().endsWith("; the component is not started");

        service.apply(Map.of("timeout", "1m"));
        assertThat(service.isRunning()).isTrue();
        assertThat(events).last().isEqualTo("start 1m");
    }

    @Test
    void anAcceptedConfigurationReplacesWhatRunsAndARefusedOneKeepsIt() throws Exception {
        service.apply(Map.of());
        service.apply(Map.of("timeout", "0s"));
        service.apply(Map.of("timeout", "2m"));
        service.stop();
        service.stop();
        assertThat(events).hasSize(5);
        assertThat(events.get(0)).isEqualTo("start 30s");
        assertThat(events.get(1)).endsWith("; the previous settings stay in force");
        assertThat(events.subList(2, 5)).containsExactly("stop 30s", "start 2m", "stop 2m");
        assertThat(service.configured().current()).contains(Duration.ofMinutes(2));
    }

    @Test
    void aStartThatFailsLeavesNothingRunning() throws Exception {
        ConfiguredService<Duration> failing = new ConfiguredService<>(
                new Configured<>("io.tokenhost.test", Config.class, values -> values.duration("timeout"), events::add,
                        events::add),
                timeout -> {
                    throw new IllegalStateException("cannot start");
                });
        assertThatThrownBy(() -> failing.apply(Map.of())).hasMessage("cannot start");
        assertThat(failing.isRunning()).isFalse();
    }
}
