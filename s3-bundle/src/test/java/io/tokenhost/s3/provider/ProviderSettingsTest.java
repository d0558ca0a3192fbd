package io.tokenhost.s3.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderSettingsTest {

    static Map<String, Object> config(String... kv) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put(kv[i], kv[i + 1]);
        }
        return map;
    }

    static ProviderSettings parse(Map<String, ?> properties) {
        return ProviderSettings.parse(ConfigValues.of(properties, ProviderConfig.class));
    }

    @Test
    void defaultsToSessionTokenWithDefaultChain() {
        assertThat(ConfigValues.declared(ProviderConfig.class)).containsEntry("duration", "1h")
                .containsEntry("timeout", "30s").containsEntry("region", "us-east-1")
                .containsEntry("role-session-name", "tokenhost").containsEntry("token-kind", "");
        ProviderSettings s = parse(config());
        assertThat(s.serviceName()).isEqualTo("s3");
        assertThat(s.kind()).isEqualTo(TokenKind.SESSION_TOKEN);
        assertThat(s.staticKeys()).isFalse();
        assertThat(s.region()).isEqualTo("us-east-1");
        assertThat(s.duration()).isEqualTo(Duration.ofHours(1));
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.endpoint()).isEmpty();
    }

    @Test
    void roleArnMeansAssumeRole() {
        ProviderSettings s = parse(config("role-arn", "arn:aws:iam::123456789012:role/r",
                "external-id", "x", "policy", "{}", "duration", "15m", "endpoint", "http://127.0.0.1:5000"));
        assertThat(s.kind()).isEqualTo(TokenKind.ASSUME_ROLE);
        assertThat(s.roleSessionName()).isEqualTo("tokenhost");
        assertThat(s.duration()).isEqualTo(Duration.ofMinutes(15));
        assertThat(s.endpoint()).hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(5000));
        assertThat(parse(config("role-arn", "arn:aws:iam::1:role/r", "duration", "PT12H")).duration())
                .isEqualTo(Duration.ofHours(12));
        assertThat(parse(config("duration", "36h")).duration()).isEqualTo(Duration.ofHours(36));
    }

    @Test
    void serviceNameFromNamedFactoryConfiguration() {
        assertThat(parse(config("service.pid", "io.tokenhost.s3~analytics")).serviceName()).isEqualTo("s3.analytics");
        assertThat(parse(config("service.pid", "io.tokenhost.s3.4f1c",
                "felix.fileinstall.filename", "file:/opt/th/conf/io.tokenhost.s3-logs.cfg")).serviceName())
                .isEqualTo("s3.logs");
        assertThat(parse(config("service.pid", "io.tokenhost.s3~analytics", "service.name", "lake")).serviceName())
                .isEqualTo("lake");
        assertThatThrownBy(() -> parse(config("service.pid", "io.tokenhost.s3~two words")))
                .hasMessageStartingWith("service.name: must be a valid service name").hasMessageContaining("set service.name");
    }

    @Test
    void everyDeclaredKeyIsRefusedNamingItAndTheRule() {
        Map<String, Map<String, Object>> bad = new LinkedHashMap<>();
        bad.put("service.name", config("service.name", "bad name"));
        bad.put("token-kind", config("token-kind", "federation"));
        bad.put("access-key", config("secret-key", "topsecret"));
        bad.put("secret-key", config("access-key", "AKIAONLY"));
        bad.put("role-arn", config("role-arn", "role/r"));
        bad.put("role-session-name", config("role-arn", "arn:aws:iam::1:role/r", "role-session-name", "x"));
        bad.put("external-id", config("external-id", "x"));
        bad.put("policy", config("policy", "{}"));
        bad.put("duration", config("duration", "5m"));
        bad.put("region", config("region", "EU West"));
        bad.put("endpoint", config("endpoint", "ftp://x"));
        bad.put("timeout", config("timeout", "0s"));
        assertThat(bad.keySet()).containsExactlyInAnyOrderElementsOf(ConfigValues.declared(ProviderConfig.class).keySet());
        bad.forEach((key, properties) -> assertThatThrownBy(() -> parse(properties)).as(key)
                .isInstanceOfSatisfying(ConfigurationRefusedException.class, e -> assertThat(e.key()).isEqualTo(key))
                .hasMessageStartingWith(key + ": must "));
    }

    @Test
    void anEmptyRoleArnIsRefusedRatherThanTurnedIntoGetSessionToken() {
        for (String blank : new String[] {"", "  "}) {
            assertThatThrownBy(() -> parse(config("role-arn", blank)))
                    .isInstanceOfSatisfying(ConfigurationRefusedException.class, e -> assertThat(e.key()).isEqualTo("role-arn"))
                    .hasMessage("role-arn: must not be empty: give a role ARN, or remove the key for GetSessionToken");
        }
        assertThat(parse(config()).kind()).as("no role-arn at all: GetSessionToken").isEqualTo(TokenKind.SESSION_TOKEN);
        assertThat(parse(config("role-arn", "arn:aws:iam::1:role/r")).kind()).isEqualTo(TokenKind.ASSUME_ROLE);
    }

    @Test
    void refusalsStateTheRuleAndNeverEchoSecrets() {
        assertThatThrownBy(() -> parse(config("access-key", "AKIAONLY")))
                .hasMessage("secret-key: must be set together with access-key (or neither, for the default credential chain)");
        assertThatThrownBy(() -> parse(config("secret-key", "topsecret"))).hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> parse(config("token-kind", "assume-role")))
                .hasMessage("role-arn: must be set when token-kind is assume-role");
        assertThatThrownBy(() -> parse(config("role-arn", "arn:aws:iam::1:role/r", "duration", "13h")))
                .hasMessage("duration: must be from 15m to 12h for assume-role, got '13h'");
        assertThatThrownBy(() -> parse(config("duration", "soon")))
                .hasMessage("duration: must be a duration such as 500ms, 30s, 5m, 1h, 2d or PT30S, got 'soon'");
        assertThatThrownBy(() -> parse(config("token-kind", "federation")))
                .hasMessage("token-kind: must be one of assume-role, session-token, got 'federation'");
    }

    @Test
    void toStringShowsNoKeys() {
        ProviderSettings s = parse(config("access-key", "AKIAVISIBLE", "secret-key", "hush"));
        assertThat(s.toString()).contains("static keys", "duration 1h").doesNotContain("AKIAVISIBLE").doesNotContain("hush");
    }
}
