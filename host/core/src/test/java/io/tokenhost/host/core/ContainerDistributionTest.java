package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.distribution.TokenContainerListener;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The two hooks the remote bundle uses: container listeners (manager side) and applying a container
 * received from a remote manager (worker side), driven deterministically like {@link TokenManagerTest}.
 */
class ContainerDistributionTest {

    private static final Instant START = DeterministicManager.START;

    private final DeterministicManager harness = new DeterministicManager();
    private final ManualClock clock = harness.clock;
    private final ManualExecutor obtains = harness.obtains;
    private final FakeTimer timer = harness.timer;
    private final TokenManager manager = harness.manager;

    private void settle() {
        harness.settle();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Records each container as "version:services". */
    static final class RecordingListener implements TokenContainerListener {
        final List<TokenContainer> seen = new CopyOnWriteArrayList<>();
        volatile RuntimeException failure;

        @Override
        public void onContainer(TokenContainer container) {
            seen.add(container);
            if (failure != null) {
                throw failure;
            }
        }

        List<Long> versions() {
            return seen.stream().map(TokenContainer::version).toList();
        }
    }

    @Test
    void aListenerIsToldOfEveryNewVersionIncludingWithdrawals() {
        RecordingListener listener = new RecordingListener();
        manager.addListener(listener, "remote");
        settle();
        assertThat(listener.seen).as("nothing obtained yet: no version 0 container").isEmpty();

        TestProvider hdfs = new TestProvider("hdfs", clock);
        manager.addProvider(hdfs, "p");
        settle();
        assertThat(listener.versions()).containsExactly(1L);
        assertThat(listener.seen.get(0).tokens("hdfs")).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("hdfs-1")));

        manager.obtainNow("hdfs");
        settle();
        manager.removeProvider(hdfs);
        settle();
        assertThat(listener.versions()).containsExactly(1L, 2L, 3L);
        assertThat(listener.seen.get(2).isEmpty()).isTrue();
    }

    @Test
    void aListenerThatAppearsLaterGetsTheCurrentContainerAtOnce() {
        manager.addProvider(new TestProvider("hdfs", clock), "p");
        settle();
        RecordingListener late = new RecordingListener();
        manager.addListener(late, "late");
        settle();
        assertThat(late.versions()).containsExactly(1L);
    }

    @Test
    void versionsOfferedWhileAListenerIsBusyCollapseIntoTheNewest() {
        TestProvider hdfs = new TestProvider("hdfs", clock);
        RecordingListener listener = new RecordingListener();
        manager.addListener(listener, "remote");
        manager.addProvider(hdfs, "p");
        obtains.runAll(); // version 1 offered, not yet passed on
        manager.obtainNow("hdfs");
        obtains.runAll(); // version 2 offered
        settle();
        assertThat(listener.versions()).containsExactly(2L);
    }

    @Test
    void aFailingListenerIsLoggedAndStillGetsLaterVersionsAndReceiversAreUnaffected() {
        RecordingListener listener = new RecordingListener();
        listener.failure = new IllegalStateException("boom");
        TestReceiver receiver = new TestReceiver("hdfs");
        manager.addReceiver(receiver, "r");
        manager.addListener(listener, "remote");
        TestProvider hdfs = new TestProvider("hdfs", clock);
        manager.addProvider(hdfs, "p");
        settle();
        manager.obtainNow("hdfs");
        settle();
        assertThat(listener.versions()).containsExactly(1L, 2L);
        assertThat(receiver.events).containsExactly("hdfs-1", "hdfs-2");
    }

    @Test
    void aRemovedListenerHearsNoMore() {
        RecordingListener listener = new RecordingListener();
        manager.addListener(listener, "remote");
        manager.removeListener(listener);
        manager.addProvider(new TestProvider("hdfs", clock), "p");
        settle();
        assertThat(listener.seen).isEmpty();
    }

    @Test
    void aRemoteContainerDeliversChangedServicesAndWithdrawsRemovedOnes() {
        TestReceiver hdfs = new TestReceiver("hdfs");
        TestReceiver s3 = new TestReceiver("s3");
        TestReceiver hbase = new TestReceiver("hbase");
        manager.addReceiver(hdfs, "a");
        manager.addReceiver(s3, "b");
        manager.addReceiver(hbase, "c");

        manager.applyRemote(TokenContainer.of(7, Map.of("hdfs", bytes("h1"), "s3", bytes("s1"))));
        settle();
        assertThat(hdfs.events).containsExactly("h1");
        assertThat(s3.events).containsExactly("s1");
        assertThat(hbase.events).isEmpty();
        assertThat(manager.containerVersion()).isEqualTo(7);

        // hdfs unchanged, s3 removed, hbase added
        manager.applyRemote(TokenContainer.of(8, Map.of("hdfs", bytes("h1"), "hbase", bytes("b1"))));
        settle();
        assertThat(hdfs.events).as("unchanged service not redelivered").containsExactly("h1");
        assertThat(s3.events).containsExactly("s1", "WITHDRAWN");
        assertThat(hbase.events).containsExactly("b1");
        assertThat(manager.receivers()).filteredOn(r -> r.serviceName().equals("hbase"))
                .singleElement().satisfies(r -> assertThat(r.deliveredVersion()).isEqualTo(8));
    }

    @Test
    void aRestartedManagersLowerVersionIsAppliedToo() {
        TestReceiver hdfs = new TestReceiver("hdfs");
        manager.addReceiver(hdfs, "a");
        manager.applyRemote(TokenContainer.of(40, Map.of("hdfs", bytes("old"))));
        manager.applyRemote(TokenContainer.of(1, Map.of("hdfs", bytes("new"))));
        settle();
        assertThat(manager.containerVersion()).isEqualTo(1);
        assertThat(hdfs.last()).isEqualTo("new");
    }

    @Test
    void aReceiverThatAppearsAfterARemoteContainerGetsItsTokensAtOnce() {
        manager.applyRemote(TokenContainer.of(3, Map.of("hdfs", bytes("h3"))));
        TestReceiver late = new TestReceiver("hdfs");
        manager.addReceiver(late, "late");
        settle();
        assertThat(late.events).containsExactly("h3");
    }
}
