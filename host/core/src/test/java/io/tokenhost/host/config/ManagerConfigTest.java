package io.tokenhost.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.host.core.ManagerSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManagerConfigTest {

    @Test
    void noPropertiesGiveTheDocumentedDefaults() throws Exception {
        ManagerConfig.Parsed parsed = ManagerConfig.parse(Map.of("service.pid", "io.tokenhost.manager",
                "felix.fileinstall.filename", "file:/x/conf/io.tokenhost.manager.cfg"));
        assertThat(parsed.settings()).isEqualTo(ManagerSettings.DEFAULTS);
        assertThat(parsed.warnings()).isEmpty();
        assertThat(ManagerConfig.KEYS).containsEntry("renewal.time-ratio", "0.75")
                .containsEntry("renewal.retry.backoff", "30s").containsEntry("renewal.retry.backoff.max", "10m")
                .containsEntry("renewal.fallback-period", "1h").containsEntry("obtain.timeout", "30s");
    }

    @Test
    void everyKeyIsRead() throws Exception {
        ManagerSettings settings = ManagerConfig.parse(Map.of(
                "enabled", "true",
                "renewal.time-ratio", "0.5",
                "renewal.retry.backoff", "2s",
                "renewal.retry.backoff.max", "PT1M",
                "renewal.retry.jitter", "0",
                "renewal.fallback-period", "15 min",
                "renewal.min-interval", "100ms",
                "obtain.timeout", "5s",
                "provider.hadoopfs.enabled", "false")).settings();

        assertThat(settings.renewal().timeRatio()).isEqualTo(0.5);
        assertThat(settings.renewal().retryBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.renewal().retryBackoffMax()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.renewal().retryJitter()).isZero();
        assertThat(settings.renewal().fallbackPeriod()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.renewal().minInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.renewal().obtainTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.isEnabled("hadoopfs")).isFalse();
        assertThat(settings.isEnabled("s3")).isTrue();
    }

    @Test
    void badValuesAreRefusedNamingTheKeyAndTheRule() {
        assertRefused(Map.of("renewal.time-ratio", "1.5"),
                "renewal.time-ratio: must be a number strictly between 0 and 1, got '1.5'");
        assertRefused(Map.of("renewal.time-ratio", "abc"),
                "renewal.time-ratio: must be a number strictly between 0 and 1, got 'abc'");
        assertRefused(Map.of("renewal.retry.jitter", "-0.1"),
                "renewal.retry.jitter: must be a number from 0 (inclusive) to 1 (exclusive), got '-0.1'");
        assertRefused(Map.of("obtain.timeout", "soon"),
                "obtain.timeout: must be a duration such as 500ms, 30s, 5m, 1h, 2d or PT30S, got 'soon'");
        assertRefused(Map.of("obtain.timeout", "0s"), "obtain.timeout: must be more than 0 and at most 365d, got '0s'");
        assertRefused(Map.of("enabled", "yes"), "enabled: must be true or false, got 'yes'");
        assertRefused(Map.of("provider.s3.enabled", "maybe"), "provider.s3.enabled: must be true or false, got 'maybe'");
        assertRefused(Map.of("provider.bad name.enabled", "true"),
                "provider.bad name.enabled: 'bad name' is not a valid service name");
        assertRefused(Map.of("renewal.retry.backoff", "5m", "renewal.retry.backoff.max", "1m"),
                "renewal.retry.backoff.max: must be at least renewal.retry.backoff (5m), got 1m");
    }

    @Test
    void unknownKeysAreReportedNotSilentlyIgnored() throws Exception {
        ManagerConfig.Parsed parsed = ManagerConfig.parse(Map.of("renewal.time-ratoi", "0.5"));
        assertThat(parsed.settings()).isEqualTo(ManagerSettings.DEFAULTS);
        assertThat(parsed.warnings()).singleElement().asString()
                .startsWith("unknown key 'renewal.time-ratoi' is ignored; known keys: enabled, renewal.time-ratio");
    }

    @Test
    void durationsInEveryAcceptedForm() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse(" 30 s ")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> Durations.parse("1 fortnight")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }

    private static void assertRefused(Map<String, ?> properties, String message) {
        assertThatThrownBy(() -> ManagerConfig.parse(properties))
                .isInstanceOf(ConfigException.class).hasMessage(message);
    }
}
