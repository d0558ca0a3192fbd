package io.tokenhost.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.api.Configured;
import io.tokenhost.host.core.ManagerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManagerConfigTest {

    private static ManagerConfig parse(Map<String, ?> properties) {
        return ManagerConfig.parse(ConfigValues.of(properties, ManagerConfiguration.class));
    }

    @Test
    void noPropertiesGiveTheDefaultsAndEveryDeclaredKeyIsInForce() {
        ManagerConfig config = parse(Map.of("service.pid", "io.tokenhost.manager",
                "felix.fileinstall.filename", "file:/x/conf/io.tokenhost.manager.cfg"));

        assertThat(config.settings()).isEqualTo(ManagerSettings.DEFAULTS);
        assertThat(config.inForce()).isEqualTo(ConfigValues.declared(ManagerConfiguration.class));
        assertThat(config.inForce()).containsEntry("renewal.time-ratio", "0.75")
                .containsEntry("renewal.retry.backoff", "30s").containsEntry("renewal.retry.backoff.max", "10m")
                .containsEntry("renewal.fallback-period", "1h").containsEntry("obtain.timeout", "30s")
                .containsEntry("renewal.retry.max-wait-without-tokens", "15s")
                .containsEntry("update.grace", "20s");
        assertThat(config.settings().renewal().maxWaitWithoutTokens()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void everyKeyIsRead() {
        ManagerConfig config = parse(Map.ofEntries(
                Map.entry("enabled", "true"),
                Map.entry("renewal.time-ratio", "0.5"),
                Map.entry("renewal.retry.backoff", "2s"),
                Map.entry("renewal.retry.backoff.max", "PT1M"),
                Map.entry("renewal.retry.jitter", "0"),
                Map.entry("renewal.fallback-period", "15m"),
                Map.entry("renewal.min-interval", "100ms"),
                Map.entry("renewal.retry.max-wait-without-tokens", "20s"),
                Map.entry("obtain.timeout", "5s"),
                Map.entry("update.grace", "0s"),
                Map.entry("provider.hadoopfs.enabled", "FALSE")));
        ManagerSettings settings = config.settings();

        assertThat(settings.renewal().timeRatio()).isEqualTo(0.5);
        assertThat(settings.renewal().retryBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.renewal().retryBackoffMax()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.renewal().retryJitter()).isZero();
        assertThat(settings.renewal().fallbackPeriod()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.renewal().minInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.renewal().obtainTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.renewal().maxWaitWithoutTokens()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.updateGrace()).isZero();
        assertThat(settings.isEnabled("hadoopfs")).isFalse();
        assertThat(settings.isEnabled("s3")).isTrue();
        assertThat(config.inForce()).containsEntry("renewal.retry.backoff.max", "PT1M")
                .containsEntry("provider.hadoopfs.enabled", "false");
        assertThat(List.copyOf(config.inForce().keySet())).last().isEqualTo("provider.hadoopfs.enabled");
    }

    @Test
    void everyDeclaredKeyIsCheckedAndARefusalNamesIt() {
        for (String key : ConfigValues.declared(ManagerConfiguration.class).keySet()) {
            assertThatThrownBy(() -> parse(Map.of(key, "soon"))).as(key)
                    .isInstanceOf(ConfigurationRefusedException.class)
                    .hasMessageStartingWith(key + ": must be ")
                    .hasMessageEndingWith(", got 'soon'")
                    .extracting(e -> ((ConfigurationRefusedException) e).key()).isEqualTo(key);
        }
    }

    @Test
    void aRefusalStatesTheRule() {
        assertRefused(Map.of("renewal.time-ratio", "1.5"),
                "renewal.time-ratio: must be a number strictly between 0 and 1, got '1.5'");
        assertRefused(Map.of("renewal.retry.jitter", "-0.1"),
                "renewal.retry.jitter: must be a number from 0 (inclusive) to 1 (exclusive), got '-0.1'");
        assertRefused(Map.of("obtain.timeout", "15 min"),
                "obtain.timeout: must be a duration such as 500ms, 30s, 5m, 1h, 2d or PT30S, got '15 min'");
        assertRefused(Map.of("obtain.timeout", "0s"), "obtain.timeout: must be more than 0 and at most 365d, got '0s'");
        assertRefused(Map.of("update.grace", "2h"), "update.grace: must be from 0s to 1h, got '2h'");
        assertRefused(Map.of("enabled", "yes"), "enabled: must be true or false, got 'yes'");
        assertRefused(Map.of("provider.s3.enabled", "maybe"), "provider.s3.enabled: must be true or false, got 'maybe'");
        assertRefused(Map.of("provider.bad name.enabled", "true"), "provider.bad name.enabled: must be"
                + " provider.<service>.enabled with a service name of 1-128 of [A-Za-z0-9._-], starting with a letter or digit");
        assertRefused(Map.of("renewal.retry.backoff", "5m", "renewal.retry.backoff.max", "1m"),
                "renewal.retry.backoff.max: must be at least renewal.retry.backoff (5m), got '1m'");
        assertRefused(Map.of("renewal.retry.max-wait-without-tokens", "0s"),
                "renewal.retry.max-wait-without-tokens: must be more than 0 and at most 365d, got '0s'");
        assertRefused(Map.of("renewal.retry.max-wait-without-tokens", "-5s"),
                "renewal.retry.max-wait-without-tokens: must be a duration such as 500ms, 30s, 5m, 1h, 2d or PT30S,"
                        + " got '-5s'");
        assertRefused(Map.of("renewal.min-interval", "10s", "renewal.retry.max-wait-without-tokens", "5s"),
                "renewal.retry.max-wait-without-tokens: must be at least renewal.min-interval (10s), got '5s'");
    }

    @Test
    void oneProviderMayHaveItsOwnMaxWaitWithoutTokens() {
        ManagerConfig config = parse(Map.of("renewal.retry.max-wait-without-tokens", "20s",
                "provider.s3.analytics.renewal.retry.max-wait-without-tokens", "PT5S",
                "provider.s3.analytics.enabled", "true"));
        ManagerSettings settings = config.settings();

        assertThat(settings.renewal("s3.analytics").maxWaitWithoutTokens()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.renewal("hadoopfs").maxWaitWithoutTokens()).isEqualTo(Duration.ofSeconds(20));
        // the override changes that key only
        assertThat(settings.renewal("s3.analytics").withMaxWaitWithoutTokens(Duration.ofSeconds(20)))
                .isEqualTo(settings.renewal());
        assertThat(settings.isEnabled("s3.analytics")).isTrue();
        assertThat(config.inForce()).containsEntry("renewal.retry.max-wait-without-tokens", "20s")
                .containsEntry("provider.s3.analytics.renewal.retry.max-wait-without-tokens", "PT5S")
                .containsEntry("provider.s3.analytics.enabled", "true");
        assertThat(ManagerConfig.isProviderKey("provider.s3.analytics.renewal.retry.max-wait-without-tokens")).isTrue();
        assertThat(ManagerConfig.isProviderKey("provider.renewal.retry.max-wait-without-tokens")).isFalse();
        assertThat(ManagerConfig.isProviderKey("provider.s3.renewal.retry.backoff")).isFalse();
    }

    @Test
    void aProvidersOwnMaxWaitWithoutTokensIsCheckedByTheSameRules() {
        String key = "provider.s3.renewal.retry.max-wait-without-tokens";
        assertRefused(Map.of(key, "soon"),
                key + ": must be a duration such as 500ms, 30s, 5m, 1h, 2d or PT30S, got 'soon'");
        assertRefused(Map.of(key, "0ms"), key + ": must be more than 0 and at most 365d, got '0ms'");
        assertRefused(Map.of(key, "400d"), key + ": must be more than 0 and at most 365d, got '400d'");
        assertRefused(Map.of(key, "-1s"), key + ": must be a duration such as 500ms, 30s, 5m, 1h, 2d or PT30S, got '-1s'");
        assertRefused(Map.of(key, "500ms"), key + ": must be at least renewal.min-interval (1s), got '500ms'");
        assertRefused(Map.of("provider.bad name.renewal.retry.max-wait-without-tokens", "5s"),
                "provider.bad name.renewal.retry.max-wait-without-tokens: must be"
                        + " provider.<service>.renewal.retry.max-wait-without-tokens with a service name of 1-128 of"
                        + " [A-Za-z0-9._-], starting with a letter or digit");
    }

    @Test
    void theOneReactionUnknownKeysWarnedARefusalKeepsThePreviousSettings() {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Configured<ManagerConfig> configured = new Configured<>(ManagerConfiguration.PID, ManagerConfiguration.class,
                ManagerConfig::parse, errors::add, warnings::add).alsoAccepting(ManagerConfig::isProviderKey);

        ManagerConfig first = configured.apply(Map.of("renewal.time-ratoi", "0.5", "provider.s3.enabled", "false",
                "provider.s3.enable", "false", "provider.s3.renewal.retry.max-wait-without-tokens", "5s"))
                .orElseThrow();
        assertThat(first.settings().renewal().timeRatio()).isEqualTo(0.75);
        assertThat(configured.warnings()).hasSize(2).allSatisfy(w -> assertThat(w).contains("known keys: enabled,"))
                .anySatisfy(w -> assertThat(w).startsWith("unknown key 'renewal.time-ratoi' is ignored"))
                .anySatisfy(w -> assertThat(w).startsWith("unknown key 'provider.s3.enable' is ignored"));
        assertThat(warnings).hasSize(2);

        assertThat(configured.apply(Map.of("renewal.time-ratio", "2"))).isEmpty();
        assertThat(configured.current()).containsSame(first);
        assertThat(errors).singleElement().asString().isEqualTo("Configuration io.tokenhost.manager refused:"
                + " renewal.time-ratio: must be a number strictly between 0 and 1, got '2';"
                + " the previous settings stay in force");
    }

    @Test
    void theReadmeListsEveryDeclaredKeyWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("../../README.md"));
        ConfigValues.declared(ManagerConfiguration.class).forEach((key, value) ->
                assertThat(readme).as(key).contains("| `" + key + "` | `" + value + "` |"));
        assertThat(readme).contains("| `provider.<service>.enabled` | `true` |")
                .contains("| `provider.<service>.renewal.retry.max-wait-without-tokens` |");
    }

    private static void assertRefused(Map<String, ?> properties, String message) {
        assertThatThrownBy(() -> parse(properties)).isInstanceOf(ConfigurationRefusedException.class).hasMessage(message);
    }
}
