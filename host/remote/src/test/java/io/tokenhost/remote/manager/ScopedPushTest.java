package io.tokenhost.remote.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.distribution.TokenContainerCodec;
import io.tokenhost.remote.access.AccessPolicy;
import io.tokenhost.remote.config.RemoteConfig;
import io.tokenhost.remote.wire.Frames;
import io.tokenhost.remote.wire.ManagerFrame;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What one worker's push frame carries under a policy: its services, their valid-until, the next version. */
class ScopedPushTest {

    private static final Instant ALICE_UNTIL = Instant.parse("2026-11-28T12:00:00Z");
    private static final Instant SHARED_UNTIL = Instant.parse("2026-11-28T13:00:00Z");

    private static final TokenContainer CONTAINER = TokenContainer.of(7, Map.of(
            "hadoopfs.alice", "alice".getBytes(StandardCharsets.UTF_8),
            "hadoopfs.bob", "bob".getBytes(StandardCharsets.UTF_8),
            "shared", "shared".getBytes(StandardCharsets.UTF_8)),
            Map.of("hadoopfs.alice", ALICE_UNTIL, "hadoopfs.bob", ALICE_UNTIL, "shared", SHARED_UNTIL));

    private static AccessPolicy policy(Map<String, String> keys) {
        return AccessPolicy.parse(ConfigValues.of(keys, RemoteConfig.class));
    }

    private static ManagerFrame.Push push(WorkerSession.Outgoing outgoing) throws Exception {
        return (ManagerFrame.Push) Frames.parseManagerFrame(outgoing.frame());
    }

    @Test
    void aScopedFrameKeepsTheValidUntilOfEachGrantedServiceUnderTheNextVersion() throws Exception {
        ScopedPush scoped = new ScopedPush(3, CONTAINER, 2,
                policy(Map.of("access.hadoopfs.alice", "etl-alice-*", "access.hadoopfs.bob", "etl-bob-*")));

        ManagerFrame.Push alice = push(scoped.outgoingFor("etl-alice-1"));

        assertThat(alice.epoch()).isEqualTo(3);
        assertThat(alice.container().version()).as("container version + policy changes").isEqualTo(9);
        assertThat(alice.container().services()).containsExactlyInAnyOrder("hadoopfs.alice", "shared");
        // without its valid-until a worker could not withdraw the token once it expires
        assertThat(alice.container().validUntil("hadoopfs.alice")).contains(ALICE_UNTIL);
        assertThat(alice.container().validUntil("shared")).contains(SHARED_UNTIL);
        assertThat(scoped.outgoingFor("etl-alice-2")).as("one frame per set of granted services")
                .isSameAs(scoped.outgoingFor("etl-alice-1"));
    }

    @Test
    void aWorkerThatMayHaveEverythingGetsTheContainerAsItIs() throws Exception {
        ScopedPush unscoped = new ScopedPush(3, CONTAINER, 0, AccessPolicy.ALLOW_ALL);

        WorkerSession.Outgoing outgoing = unscoped.outgoingFor("anyone");

        assertThat(outgoing.version()).isEqualTo(7);
        assertThat(outgoing.frame()).isEqualTo(Frames.push(3, TokenContainerCodec.encode(CONTAINER)));
        assertThat(push(outgoing).container().validUntil("shared")).contains(SHARED_UNTIL);
    }
}
