package io.tokenhost.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.remote.config.RemoteConfig;
import io.tokenhost.remote.config.RemoteConfigException;
import io.tokenhost.remote.config.RemoteSettings;
import io.tokenhost.remote.config.RemoteSettings.Role;
import io.tokenhost.remote.worker.Backoff;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoteConfigTest {

    private static final Path HOME = Path.of("/opt/tokenhost");

    @Test
    void defaults() throws Exception {
        RemoteSettings s = RemoteConfig.parse(Map.of(), HOME);
        assertThat(s.role()).isEqualTo(Role.STANDALONE);
        assertThat(s.listenHost()).isEqualTo("0.0.0.0");
        assertThat(s.listenPort()).isEqualTo(7443);
        assertThat(s.caFile()).isEqualTo(Path.of("/opt/tokenhost/conf/tls/ca.crt"));
        assertThat(s.certFile()).isEqualTo(Path.of("/opt/tokenhost/conf/tls/node.crt"));
        assertThat(s.keyFile()).isEqualTo(Path.of("/opt/tokenhost/conf/tls/node.key"));
        assertThat(s.insecure()).isFalse();
        assertThat(s.backoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.backoffMax()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.jitter()).isEqualTo(0.5);
        assertThat(s.keepAlive()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aWorker() throws Exception {
        RemoteSettings s = RemoteConfig.parse(Map.of("role", "Worker", "manager.address", "mgr.example:9000",
                "worker.id", "w-7", "tls.ca", "/etc/ca.pem", "reconnect.backoff", "200ms"), HOME);
        assertThat(s.role()).isEqualTo(Role.WORKER);
        assertThat(s.managerHost()).isEqualTo("mgr.example");
        assertThat(s.managerPort()).isEqualTo(9000);
        assertThat(s.workerId()).isEqualTo("w-7");
        assertThat(s.caFile()).isEqualTo(Path.of("/etc/ca.pem"));
        assertThat(s.backoff()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertRefused(Map.of("role", "boss"), "role");
        assertRefused(Map.of("role", "worker"), "manager.address is required");
        assertRefused(Map.of("manager.address", "nohost"), "manager.address");
        assertRefused(Map.of("listen.port", "70000"), "listen.port");
        assertRefused(Map.of("insecure", "yes"), "insecure");
        assertRefused(Map.of("reconnect.backoff", "soon"), "reconnect.backoff");
        assertRefused(Map.of("reconnect.backoff", "1m", "reconnect.backoff.max", "10s"), "reconnect.backoff.max");
        assertRefused(Map.of("reconnect.jitter", "2"), "reconnect.jitter");
        assertRefused(Map.of("worker.id", "a b"), "worker.id");
        assertRefused(Map.of("keepalive", "1s"), "keepalive");
    }

    @Test
    void unknownKeysAreReported() {
        assertThat(RemoteConfig.unknownKeys(Map.of("role", "manager", "listen.prot", "1", "service.pid", "x")))
                .containsExactly("listen.prot");
    }

    @Test
    void backoffDoublesUpToItsMaximumWithJitterAndResets() {
        Backoff fixed = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), 0.5, () -> 0.5);
        assertThat(fixed.next()).isEqualTo(Duration.ofMillis(100));
        assertThat(fixed.next()).isEqualTo(Duration.ofMillis(200));
        assertThat(fixed.next()).isEqualTo(Duration.ofMillis(400));
        assertThat(fixed.next()).isEqualTo(Duration.ofMillis(800));
        assertThat(fixed.next()).isEqualTo(Duration.ofMillis(1000));
        assertThat(fixed.next()).isEqualTo(Duration.ofMillis(1000));
        fixed.reset();
        assertThat(fixed.next()).isEqualTo(Duration.ofMillis(100));
        assertThat(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 0.5, () -> 0.0).next())
                .isEqualTo(Duration.ofMillis(50));
        assertThat(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 0.5, () -> 1.0).next())
                .isEqualTo(Duration.ofMillis(150));
    }

    private static void assertRefused(Map<String, String> properties, String text) {
        assertThatThrownBy(() -> RemoteConfig.parse(properties, HOME))
                .isInstanceOf(RemoteConfigException.class).hasMessageContaining(text);
    }
}
