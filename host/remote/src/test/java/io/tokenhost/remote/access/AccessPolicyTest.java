package io.tokenhost.remote.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.remote.config.RemoteConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

    static AccessPolicy policy(Map<String, String> keys) {
        return AccessPolicy.parse(ConfigValues.of(keys, RemoteConfig.class));
    }

    @Test
    void withoutKeysEveryWorkerGetsEveryServiceAndThePolicyIsNotConfigured() {
        AccessPolicy none = policy(Map.of());
        assertThat(none.configured()).isFalse();
        assertThat(none).isEqualTo(AccessPolicy.ALLOW_ALL);
        assertThat(none.granted("anyone", List.of("a", "b"))).containsExactly("a", "b");
    }

    @Test
    void patternsNameTheWorkersOfAServiceAndTheDefaultDecidesTheOthers() {
        AccessPolicy p = policy(Map.of("access.hadoopfs.alice", "etl-alice-*, alice-?", "access.s3", "*"));
        assertThat(p.configured()).isTrue();
        assertThat(p.allows("etl-alice-1", "hadoopfs.alice")).isTrue();
        assertThat(p.allows("etl-alice-", "hadoopfs.alice")).isTrue();
        assertThat(p.allows("alice-7", "hadoopfs.alice")).isTrue();
        assertThat(p.allows("alice-77", "hadoopfs.alice")).isFalse();
        assertThat(p.allows("etl-bob-1", "hadoopfs.alice")).isFalse();
        assertThat(p.allows("xetl-alice-1", "hadoopfs.alice")).as("patterns match the whole id").isFalse();
        assertThat(p.allows("etl-bob-1", "s3")).isTrue();
        assertThat(p.allows("etl-bob-1", "hbase")).as("no key, access.default=allow").isTrue();

        AccessPolicy deny = policy(Map.of("access.hadoopfs.alice", "etl-alice-*", "access.default", "deny"));
        assertThat(deny.allows("etl-bob-1", "hbase")).as("no key, access.default=deny").isFalse();
        assertThat(deny.granted("etl-alice-2", List.of("hadoopfs.alice", "hadoopfs.bob", "hbase")))
                .containsExactly("hadoopfs.alice");
        assertThat(policy(Map.of("access.default", "deny")).configured()).isTrue();
    }

    @Test
    void aDotInAPatternIsADotNotAnyCharacter() {
        AccessPolicy p = policy(Map.of("access.a", "w.1"));
        assertThat(p.allows("w.1", "a")).isTrue();
        assertThat(p.allows("wx1", "a")).isFalse();
    }

    @Test
    void malformedPatternsAndKeysAreRefusedNamingTheKey() {
        List<String> messages = new ArrayList<>();
        for (Map<String, String> bad : List.of(
                Map.of("access.hadoopfs.alice", "etl-[a]*"),
                Map.of("access.hadoopfs.alice", "etl-alice-*,"),
                Map.of("access.hadoopfs.alice", "etl alice"),
                Map.of("access.hadoopfs.alice", "a/b"),
                Map.of("access.-bad", "*"),
                Map.of("access.default", "maybe"))) {
            String key = bad.keySet().iterator().next();
            assertThatThrownBy(() -> policy(bad)).isInstanceOf(ConfigurationRefusedException.class)
                    .satisfies(e -> assertThat(((ConfigurationRefusedException) e).key()).isEqualTo(key))
                    .hasMessageStartingWith(key + ": must be");
            try {
                policy(bad);
            } catch (ConfigurationRefusedException e) {
                messages.add(e.getMessage());
            }
        }
        assertThat(messages.get(0)).contains("'etl-[a]*' is not a worker-id pattern");
        assertThat(messages.get(1)).contains("'' is not a worker-id pattern");
    }

    @Test
    void unknownServicesAreNamedByTheirKeys() {
        AccessPolicy p = policy(Map.of("access.hadoopfs.alice", "a*", "access.hadoopfs.bobb", "b*"));
        assertThat(p.unknownServiceKeys(Set.of("hadoopfs.alice", "hadoopfs.bob"))).containsExactly("access.hadoopfs.bobb");
        assertThat(p.unknownServiceKeys(Set.of("hadoopfs.alice", "hadoopfs.bobb"))).isEmpty();
    }
}
