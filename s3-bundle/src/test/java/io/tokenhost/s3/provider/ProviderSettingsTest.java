package io.tokenhost.s3.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderSettingsTest {

    private static Map<String, Object> config(String... kv) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put(kv[i], kv[i + 1]);
        }
        return map;
    }

    @Test
    void defaultsToSessionTokenWithDefaultChain() {
        ProviderSettings s = ProviderSettings.parse(config());
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
        ProviderSettings s = ProviderSettings.parse(config("role-arn", "arn:aws:iam::123456789012:role/r",
                "external-id", "x", "policy", "{}", "duration", "15m", "endpoint", "http://127.0.0.1:5000"));
        assertThat(s.kind()).isEqualTo(TokenKind.ASSUME_ROLE);
        assertThat(s.roleSessionName()).isEqualTo("tokenhost");
        assertThat(s.duration()).isEqualTo(Duration.ofMinutes(15));
        assertThat(s.endpoint()).hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(5000));
    }

    @Test
    void serviceNameFromNamedFactoryConfiguration() {
        assertThat(ProviderSettings.parse(config("service.pid", "io.tokenhost.s3~analytics")).serviceName())
                .isEqualTo("s3.analytics");
        assertThat(ProviderSettings.parse(config("service.pid", "io.tokenhost.s3.4f1c",
                "felix.fileinstall.filename", "file:/opt/th/conf/io.tokenhost.s3-logs.cfg")).serviceName())
                .isEqualTo("s3.logs");
        assertThat(ProviderSettings.parse(config("service.pid", "io.tokenhost.s3~analytics", "service.name", "lake"))
                .serviceName()).isEqualTo("lake");
    }

    @Test
    void badValuesNameTheKeyAndNeverEchoSecrets() {
        assertThatThrownBy(() -> ProviderSettings.parse(config("access-key", "AKIAONLY")))
                .hasMessageStartingWith("secret-key:").hasMessageNotContaining("AKIAONLY");
        assertThatThrownBy(() -> ProviderSettings.parse(config("secret-key", "topsecret")))
                .hasMessageStartingWith("access-key:").hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> ProviderSettings.parse(config("token-kind", "assume-role")))
                .hasMessageStartingWith("role-arn:");
        assertThatThrownBy(() -> ProviderSettings.parse(config("token-kind", "federation")))
                .hasMessageStartingWith("token-kind:");
        assertThatThrownBy(() -> ProviderSettings.parse(config("duration", "5m")))
                .hasMessageStartingWith("duration:");
        assertThatThrownBy(() -> ProviderSettings.parse(config("role-arn", "arn:aws:iam::1:role/r", "duration", "13h")))
                .hasMessageStartingWith("duration:");
        assertThatThrownBy(() -> ProviderSettings.parse(config("duration", "soon")))
                .hasMessageStartingWith("duration:");
        assertThatThrownBy(() -> ProviderSettings.parse(config("endpoint", "ftp://x")))
                .hasMessageStartingWith("endpoint:");
        assertThatThrownBy(() -> ProviderSettings.parse(config("role-arn", "role/r")))
                .hasMessageStartingWith("role-arn:");
        assertThatThrownBy(() -> ProviderSettings.parse(config("policy", "{}")))
                .hasMessageStartingWith("policy:");
        assertThatThrownBy(() -> ProviderSettings.parse(config("service.name", "bad name")))
                .hasMessageStartingWith("service.name:");
    }

    @Test
    void toStringShowsNoKeys() {
        ProviderSettings s = ProviderSettings.parse(config("access-key", "AKIAVISIBLE", "secret-key", "hush"));
        assertThat(s.toString()).contains("static keys").doesNotContain("AKIAVISIBLE").doesNotContain("hush");
    }
}
