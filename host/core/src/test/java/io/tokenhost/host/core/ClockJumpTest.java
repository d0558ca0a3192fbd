package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.ServiceStatus.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The README's "a clock jump past expiry withdraws and re-obtains at once": the tokens go the
 * moment the jump is noticed, not only once the re-obtain ends (it may hang, or fail).
 */
class ClockJumpTest {

    /**
     * Obtains run only when the test says (they are "still running" meanwhile); deliveries run after
     * every timer task. Kills: deleting {@code RenewalScheduler.onExpiry}'s body or its call to
     * {@code removeFromContainer} (the receiver then keeps the expired hdfs-1 until hdfs-2 arrives),
     * and negating its "expired yet?" filter.
     */
    @Test
    void aJumpPastExpiryWithdrawsAtOnceWhileTheReobtainIsStillRunning() {
        ManualClock clock = new ManualClock(DeterministicManager.START);
        ManualExecutor obtains = new ManualExecutor();
        ManualExecutor deliveries = new ManualExecutor();
        FakeTimer timer = new FakeTimer(clock, deliveries::runAll);
        TokenManager manager = new TokenManager(clock, timer, obtains, deliveries, () -> 0.5, ManagerSettings.DEFAULTS);
        TestProvider provider = new TestProvider("hdfs", clock);
        TestReceiver receiver = new TestReceiver("hdfs");
        manager.addReceiver(receiver, "r");
        manager.addProvider(provider, "p");
        obtains.runAll();
        deliveries.runAll();
        assertThat(receiver.events).containsExactly("hdfs-1");

        clock.advance(Duration.ofHours(3)); // the host was suspended past the tokens' hour
        timer.runDue();

        assertThat(obtains.pending()).as("the re-obtain was started").isEqualTo(1);
        assertThat(receiver.events).as("withdrawn before the re-obtain ended").containsExactly("hdfs-1", "WITHDRAWN");
        assertThat(manager.container().services()).isEmpty();

        obtains.runAll();
        deliveries.runAll();
        assertThat(receiver.events).containsExactly("hdfs-1", "WITHDRAWN", "hdfs-2");
        assertThat(manager.service("hdfs").orElseThrow().validUntil()).contains(clock.instant().plus(Duration.ofHours(1)));
        manager.close();
    }

    /** Kills the same mutations with a provider that is down after the jump: the expired tokens must still go. */
    @Test
    void aJumpPastExpiryWhileTheProviderIsDownWithdrawsTheTokens() {
        DeterministicManager harness = new DeterministicManager();
        TestProvider provider = new TestProvider("hdfs", harness.clock);
        TestReceiver receiver = new TestReceiver("hdfs");
        harness.manager.addReceiver(receiver, "r");
        harness.manager.addProvider(provider, "p");
        harness.settle();
        provider.failure = new IllegalStateException("token service down");

        harness.clock.advance(Duration.ofHours(3));
        harness.timer.runDue();

        assertThat(receiver.events).containsExactly("hdfs-1", "WITHDRAWN");
        assertThat(harness.manager.container().services()).isEmpty();
        assertThat(harness.manager.service("hdfs").orElseThrow().state()).isEqualTo(State.FAILING);
        assertThat(harness.manager.service("hdfs").orElseThrow().validUntil()).isEmpty();
    }
}
