package io.tokenhost.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.api.Configured;
import io.tokenhost.remote.config.RemoteConfig;
import io.tokenhost.remote.config.RemoteSettings;
import io.tokenhost.remote.worker.ManagerAddress;
import io.tokenhost.remote.config.RemoteSettings.Role;
import io.tokenhost.remote.worker.Backoff;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemoteConfigTest {

    private static final Path HOME = Path.of("/opt/tokenhost");

    private static RemoteSettings parse(Map<String, ?> properties) {
        return RemoteSettings.from(ConfigValues.of(properties, RemoteConfig.class), HOME);
    }

    @Test
    void everyKeyIsDeclaredOnceWithItsDefault() throws Exception {
        assertThat(ConfigValues.declared(RemoteConfig.class)).containsExactly(
                Map.entry("access.default", "allow"),
                Map.entry("ha.advertised-address", ""),
                Map.entry("ha.cluster-id", "default"),
                Map.entry("ha.mismatch-grace", "20s"),
                Map.entry("ha.zookeeper.connection-timeout", "3s"),
                Map.entry("ha.zookeeper.quorum", ""),
                Map.entry("ha.zookeeper.root", "/tokenhost"),
                Map.entry("ha.zookeeper.session-timeout", "6s"),
                Map.entry("insecure", "false"),
                Map.entry("keepalive", "30s"),
                Map.entry("listen.host", "0.0.0.0"),
                Map.entry("listen.port", "7443"),
                Map.entry("manager.address", ""),
                Map.entry("reconnect.backoff", "1s"),
                Map.entry("reconnect.backoff.max", "30s"),
                Map.entry("reconnect.jitter", "0.5"),
                Map.entry("restore.without-expiry.max-age", "1h"),
                Map.entry("revocation.deny-list", ""),
                Map.entry("role", "standalone"),
                Map.entry("tls.ca", "conf/tls/ca.crt"),
                Map.entry("tls.cert", "conf/tls/node.crt"),
                Map.entry("tls.crl", ""),
                Map.entry("tls.key", "conf/tls/node.key"),
                Map.entry("worker.id", ""));
        // the constants that name the keys for reading are exactly the declared keys
        String[] constants = Arrays.stream(RemoteConfig.class.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && !f.getName().equals("PID"))
                .map(RemoteConfigTest::value).toArray(String[]::new);
        assertThat(ConfigValues.declared(RemoteConfig.class).keySet()).containsExactlyInAnyOrder(constants);
    }

    private static String value(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void defaults() {
        RemoteSettings s = parse(Map.of());
        assertThat(s.role()).isEqualTo(Role.STANDALONE);
        assertThat(s.listenHost()).isEqualTo("0.0.0.0");
        assertThat(s.listenPort()).isEqualTo(7443);
        assertThat(s.workerId()).isEmpty();
        assertThat(s.caFile()).isEqualTo(Path.of("/opt/tokenhost/conf/tls/ca.crt"));
        assertThat(s.certFile()).isEqualTo(Path.of("/opt/tokenhost/conf/tls/node.crt"));
        assertThat(s.keyFile()).isEqualTo(Path.of("/opt/tokenhost/conf/tls/node.key"));
        assertThat(s.insecure()).isFalse();
        assertThat(s.backoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.backoffMax()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.jitter()).isEqualTo(0.5);
        assertThat(s.keepAlive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.restoreWithoutExpiryMaxAge()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void restoreMaxAgeIsADurationAndABadOneIsRefusedNamingTheKey() {
        assertThat(parse(Map.of("restore.without-expiry.max-age", "10m")).restoreWithoutExpiryMaxAge())
                .isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> parse(Map.of("restore.without-expiry.max-age", "soon")))
                .isInstanceOf(ConfigurationRefusedException.class)
                .hasMessageContaining("restore.without-expiry.max-age").hasMessageContaining("'soon'");
    }

    /** docs/remote.md lists every key; the README and docs/ha.md every ha.* key; each with its default (or why none). */
    @Test
    void theDocsListEveryDeclaredKeyWithItsDefault() throws Exception {
        String remote = Files.readString(Path.of("../../docs/remote.md"));
        String readme = Files.readString(Path.of("../../README.md"));
        String ha = Files.readString(Path.of("../../docs/ha.md"));
        Map<String, String> noDefault = Map.of("manager.address", "(none; required for `worker`)",
                "worker.id", "the subject CN", "ha.zookeeper.quorum", "(none: no HA)",
                "ha.advertised-address", "`listen.host:listen.port`", "tls.crl", "(none)", "revocation.deny-list", "(none)");
        ConfigValues.declared(RemoteConfig.class).forEach((key, value) -> {
            String cell = noDefault.getOrDefault(key, "`" + value + "`");
            assertThat(remote).as("docs/remote.md: " + key).contains("| `" + key + "` | " + cell);
            if (key.startsWith("access.") || key.equals("tls.crl") || key.equals("revocation.deny-list")) {
                assertThat(readme).as("README: " + key).contains("| `" + key + "` | " + cell);
            }
            if (key.startsWith("ha.")) {
                assertThat(readme).as("README: " + key).contains("| `" + key + "` | " + cell);
                assertThat(ha).as("docs/ha.md: " + key).contains("| `" + key + "` | " + cell);
            }
        });
    }

    @Test
    void haKeysMakeAManagerOneOfSeveralAndAWorkerListsThemAll() {
        RemoteSettings m = parse(Map.of("role", "manager", "ha.zookeeper.quorum", "zk1:2181,zk2:2181,zk3:2181/apps",
                "ha.cluster-id", "prod-1", "ha.zookeeper.session-timeout", "8s", "ha.advertised-address", "m1.example:7443"));
        assertThat(m.ha()).hasValueSatisfying(ha -> {
            assertThat(ha.quorum()).isEqualTo("zk1:2181,zk2:2181,zk3:2181/apps");
            assertThat(ha.clusterPath()).isEqualTo("/tokenhost/prod-1");
            assertThat(ha.sessionTimeout()).hasSeconds(8);
            assertThat(ha.connectionTimeout()).hasSeconds(3);
            assertThat(ha.advertisedAddress()).contains("m1.example:7443");
            assertThat(ha.mismatchGrace()).hasSeconds(20);
        });
        assertThat(parse(Map.of("role", "manager", "ha.zookeeper.quorum", "zk:2181", "ha.mismatch-grace", "3s")).ha())
                .hasValueSatisfying(ha -> assertThat(ha.mismatchGrace()).hasSeconds(3));
        assertThat(parse(Map.of("role", "manager")).ha()).isEmpty();
        RemoteSettings w = parse(Map.of("role", "worker", "manager.address", "m1.example:7443, m2.example:7443"));
        assertThat(w.managers()).containsExactly(new ManagerAddress("m1.example", 7443),
                new ManagerAddress("m2.example", 7443));
    }

    @Test
    void aWorker() {
        RemoteSettings s = parse(Map.of("role", "Worker", "manager.address", "mgr.example:9000",
                "worker.id", "w-7", "tls.ca", "/etc/ca.pem", "reconnect.backoff", "200ms", "reconnect.jitter", "1",
                "keepalive", "PT10S"));
        assertThat(s.role()).isEqualTo(Role.WORKER);
        assertThat(s.managers()).containsExactly(new ManagerAddress("mgr.example", 9000));
        assertThat(s.workerId()).isEqualTo(Optional.of("w-7"));
        assertThat(s.caFile()).isEqualTo(Path.of("/etc/ca.pem"));
        assertThat(s.backoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(s.jitter()).isEqualTo(1.0);
        assertThat(s.keepAlive()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void badValuesAreRefusedNamingTheKeyAndTheRule() {
        assertRefused(Map.of("role", "boss"), "role", "role: must be one of manager, standalone, worker, got 'boss'");
        assertRefused(Map.of("role", "worker"), "manager.address",
                "manager.address: must be set for role worker (host:port of the manager)");
        assertRefused(Map.of("manager.address", "nohost"), "manager.address",
                "manager.address: must be host:port with a port from 0 to 65535, or several of them comma-separated,"
                        + " got 'nohost'");
        assertRefused(Map.of("manager.address", "m1:7443,m2"), "manager.address", "manager.address: must be host:port");
        assertRefused(Map.of("manager.address", "m1:7443,m1:7443"), "manager.address",
                "manager.address: names m1:7443 twice");
        assertRefused(Map.of("role", "worker", "manager.address", "m1:7443", "ha.zookeeper.quorum", "zk:2181"),
                "ha.zookeeper.quorum", "ha.zookeeper.quorum: is for role manager only");
        assertRefused(Map.of("role", "manager", "ha.zookeeper.quorum", "zk"), "ha.zookeeper.quorum",
                "ha.zookeeper.quorum: must be host:port[,host:port...]");
        assertRefused(Map.of("role", "manager", "ha.zookeeper.quorum", "zk:2181", "ha.cluster-id", "a/b"),
                "ha.cluster-id", "ha.cluster-id: must be 1-128 of [A-Za-z0-9._-]");
        assertRefused(Map.of("role", "manager", "ha.zookeeper.quorum", "zk:2181", "ha.zookeeper.root", "tokenhost"),
                "ha.zookeeper.root", "ha.zookeeper.root: must be an absolute ZooKeeper path");
        assertRefused(Map.of("role", "manager", "ha.zookeeper.quorum", "zk:2181", "ha.zookeeper.session-timeout", "10ms"),
                "ha.zookeeper.session-timeout", "ha.zookeeper.session-timeout: must be");
        assertRefused(Map.of("role", "manager", "ha.zookeeper.quorum", "zk:2181", "ha.mismatch-grace", "0s"),
                "ha.mismatch-grace", "ha.mismatch-grace: must be");
        assertRefused(Map.of("role", "manager", "ha.zookeeper.quorum", "zk:2181", "ha.advertised-address", "m1"),
                "ha.advertised-address", "ha.advertised-address: must be host:port");
        assertRefused(Map.of("manager.address", "mgr:70000"), "manager.address", "manager.address: must be host:port");
        assertRefused(Map.of("listen.port", "70000"), "listen.port",
                "listen.port: must be a whole number from 0 to 65535, got '70000'");
        assertRefused(Map.of("insecure", "yes"), "insecure", "insecure: must be true or false, got 'yes'");
        assertRefused(Map.of("reconnect.backoff", "soon"), "reconnect.backoff", "reconnect.backoff: must be a duration");
        assertRefused(Map.of("reconnect.backoff", "0s"), "reconnect.backoff", "reconnect.backoff: must be more than 0");
        assertRefused(Map.of("reconnect.backoff", "1m", "reconnect.backoff.max", "10s"), "reconnect.backoff.max",
                "reconnect.backoff.max: must be at least reconnect.backoff (1m), got '10s'");
        assertRefused(Map.of("reconnect.jitter", "2"), "reconnect.jitter",
                "reconnect.jitter: must be a number from 0 to 1, got '2'");
        assertRefused(Map.of("reconnect.jitter", "NaN"), "reconnect.jitter", "reconnect.jitter: must be a number");
        assertRefused(Map.of("worker.id", "a b"), "worker.id",
                "worker.id: must be 1-128 of [A-Za-z0-9._-], starting with a letter or digit, got 'a b'");
        assertRefused(Map.of("keepalive", "1s"), "keepalive", "keepalive: must be from 10s to 365d, got '1s'");
        assertRefused(Map.of("tls.ca", "a\0b"), "tls.ca", "tls.ca: must be a file path");
    }

    @Test
    void unknownKeysAreWarnedAboutNotRefused() {
        List<String> warnings = new ArrayList<>();
        Configured<RemoteSettings> configured = new Configured<>(RemoteConfig.PID, RemoteConfig.class,
                values -> RemoteSettings.from(values, HOME), error -> { }, warnings::add);
        assertThat(configured.apply(Map.of("role", "manager", "listen.prot", "1", "service.pid", RemoteConfig.PID))
                .orElseThrow().role()).isEqualTo(Role.MANAGER);
        assertThat(warnings).singleElement().asString()
                .startsWith("Configuration io.tokenhost.remote: unknown key 'listen.prot' is ignored");
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

    private static void assertRefused(Map<String, String> properties, String key, String messageStart) {
        assertThatThrownBy(() -> parse(properties))
                .isInstanceOfSatisfying(ConfigurationRefusedException.class, e -> assertThat(e.key()).isEqualTo(key))
                .hasMessageStartingWith(messageStart);
    }
}
