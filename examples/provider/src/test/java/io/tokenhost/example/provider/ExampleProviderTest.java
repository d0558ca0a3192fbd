package io.tokenhost.example.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.ConfigurationProblems;
import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.api.ObtainedTokens;
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
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final List<String> reported = new ArrayList<>();
    private final ConfigurationProblems problems = new ConfigurationProblems() {
        @Override
        public void refused(String pid, String problem, boolean previousKept) {
            reported.add(pid + " refused: " + problem + (previousKept ? " (kept)" : " (not started)"));
        }

        @Override
        public void accepted(String pid) {
            reported.add(pid + " accepted");
        }
    };

    @Test
    void everyObtainReturnsFreshRandomTokensValidForTheLifetime() {
        ExampleProvider provider = new ExampleProvider(Map.of("token.lifetime", "5m"), problems, clock);

        ObtainedTokens first = provider.obtainDelegationTokens();
        ObtainedTokens second = provider.obtainDelegationTokens();

        assertThat(provider.serviceName()).isEqualTo("example");
        assertThat(first.size()).isEqualTo(32);
        assertThat(first.tokens()).isNotEqualTo(second.tokens());
        assertThat(first.validUntil()).contains(NOW.plus(Duration.ofMinutes(5)));
        assertThat(reported).containsExactly("io.tokenhost.example.provider accepted");
    }

    @Test
    void aRefusedConfigurationAtTheStartKeepsTheProviderFromStarting() {
        assertThatThrownBy(() -> new ExampleProvider(Map.of("service.name", "no spaces"), problems, clock))
                .isInstanceOf(ConfigurationRefusedException.class);
        assertThat(reported).singleElement().asString()
                .startsWith("io.tokenhost.example.provider refused: service.name: must be a service name")
                .endsWith(", got 'no spaces' (not started)");
    }

    @Test
    void aRefusedChangeKeepsThePreviousLifetimeUntilFixed() {
        ExampleProvider provider = new ExampleProvider(Map.of(), problems, clock);

        provider.modified(Map.of("token.lifetime", "soon"));
        assertThat(provider.obtainDelegationTokens().validUntil()).contains(NOW.plus(Duration.ofHours(1)));
        assertThat(reported).last().isEqualTo("io.tokenhost.example.provider refused: token.lifetime: must be"
                + " a duration such as 500ms, 30s, 5m, 1h, 2d or PT30S, got 'soon' (kept)");

        provider.modified(Map.of("token.lifetime", "PT90M"));
        assertThat(provider.obtainDelegationTokens().validUntil()).contains(NOW.plus(Duration.ofMinutes(90)));
        assertThat(reported).last().isEqualTo("io.tokenhost.example.provider accepted");
    }

    @Test
    void theServiceNameCannotChangeWhileTheProviderRuns() {
        ExampleProvider provider = new ExampleProvider(Map.of("service.name", "blue"), problems, clock);

        provider.modified(Map.of("service.name", "green"));

        assertThat(provider.serviceName()).isEqualTo("blue");
        assertThat(reported).last().isEqualTo("io.tokenhost.example.provider refused: service.name: must stay"
                + " 'blue' while the provider runs (restart its bundle to rename it), got 'green' (kept)");
    }
}
