package io.tokenhost.example.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.Configured;
import io.tokenhost.api.ObtainedTokens;
import io.tokenhost.example.provider.ExampleProviderComponent.Settings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleProviderTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private final List<String> errors = new ArrayList<>();
    private final Configured<Settings> configured = new Configured<>(ExampleProviderComponent.PID,
            ExampleProviderComponent.Config.class, Settings::parse, errors::add, warning -> { });

    @Test
    void everyObtainReturnsFreshRandomTokensValidForTheLifetime() {
        ExampleProvider provider = new ExampleProvider("example", Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));

        ObtainedTokens first = provider.obtainDelegationTokens();
        ObtainedTokens second = provider.obtainDelegationTokens();

        assertThat(provider.serviceName()).isEqualTo("example");
        assertThat(first.size()).isEqualTo(32);
        assertThat(first.tokens()).isNotEqualTo(second.tokens());
        assertThat(first.validUntil()).contains(NOW.plus(Duration.ofMinutes(5)));
    }

    @Test
    void theDeclaredDefaultsMakeAnExampleServiceValidForAnHour() {
        assertThat(configured.apply(Map.of())).contains(new Settings("example", Duration.ofHours(1)));
    }

    @Test
    void aBadServiceNameOrLifetimeIsRefusedNamingTheKey() {
        assertThat(configured.apply(Map.of("service.name", "no spaces"))).isEmpty();
        assertThat(configured.apply(Map.of("token.lifetime", "soon"))).isEmpty();
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).startsWith("Configuration io.tokenhost.example.provider refused: service.name: must be")
                .endsWith(", got 'no spaces'; the component is not started");
        assertThat(errors.get(1)).isEqualTo("Configuration io.tokenhost.example.provider refused: token.lifetime: must be"
                + " a duration such as 500ms, 30s, 5m, 1h, 2d or PT30S, got 'soon'; the component is not started");
    }

    @Test
    void aRefusedChangeKeepsThePreviousSettings() {
        configured.apply(Map.of("token.lifetime", "PT90M"));
        assertThat(configured.apply(Map.of("token.lifetime", "-1s"))).isEmpty();
        assertThat(configured.current()).contains(new Settings("example", Duration.ofMinutes(90)));
        assertThat(errors).singleElement().asString().endsWith("; the previous settings stay in force");
    }
}
