package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.ServiceStatus.State;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The manager's semantics, driven deterministically: a manual clock and timer, and executors that
 * run plugin code only when the test lets them.
 */
class TokenManagerTest {

    private static final Instant START = DeterministicManager.START;

    private final DeterministicManager harness = new DeterministicManager();
    private final ManualClock clock = harness.clock;
    private final ManualExecutor obtains = harness.obtains;
    private final FakeTimer timer = harness.timer;
    private final TokenManager manager = harness.manager;

    private void settle() {
        harness.settle();
    }

    private ServiceStatus status(String service) {
        return manager.service(service).orElseThrow();
    }

    private String containerText(String service) {
        return manager.container().tokens(service).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
    }

    @Test
    void newProviderIsObtainedAtOnceAndItsTokensReachReceivers() {
        TestProvider provider = new TestProvider("hdfs", clock);
        TestReceiver receiver = new TestReceiver("hdfs");
        TestReceiver other = new TestReceiver("s3");
        manager.addReceiver(receiver, "r");
        manager.addReceiver(other, "o");

        manager.addProvider(provider, "bundle-a");
        settle();

        assertThat(receiver.events).containsExactly("hdfs-1");
        assertThat(other.events).isEmpty();
        ServiceStatus status = status("hdfs");
        assertThat(status.state()).isEqualTo(State.VALID);
        assertThat(status.origin()).isEqualTo("bundle-a");
        assertThat(status.lastObtain()).contains(START);
        assertThat(status.validUntil()).contains(START.plus(Duration.ofHours(1)));
        // 0.75 of one hour
        assertThat(status.nextObtain()).contains(START.plus(Duration.ofMinutes(45)));
        assertThat(status.fingerprint()).isPresent();
        assertThat(manager.containerVersion()).isEqualTo(1);
        assertThat(manager.receivers()).filteredOn(r -> r.serviceName().equals("hdfs"))
                .singleElement().satisfies(r -> {
                    assertThat(r.deliveredVersion()).isEqualTo(1);
                    assertThat(r.fingerprint()).isEqualTo(status.fingerprint());
                });
    }

    @Test
    void tokensAreReobtainedAtTheRatioOfTheirValidityCycleAfterCycle() {
        TestProvider provider = new TestProvider("hdfs", clock);
        TestReceiver receiver = new TestReceiver("hdfs");
        manager.addReceiver(receiver, "r");
        manager.addProvider(provider, "p");
        settle();

        timer.advance(Duration.ofMinutes(44));
        assertThat(provider.calls).hasValue(1);
        timer.advance(Duration.ofMinutes(1));
        assertThat(provider.calls).hasValue(2);
        timer.advance(Duration.ofMinutes(45));
        timer.advance(Duration.ofMinutes(45));

        assertThat(receiver.events).containsExactly("hdfs-1", "hdfs-2", "hdfs-3", "hdfs-4");
        assertThat(manager.containerVersion()).isEqualTo(4);
        assertThat(status("hdfs").nextObtain()).contains(clock.instant().plus(Duration.ofMinutes(45)));
    }

    @Test
    void providerWithoutValidUntilIsRenewedOnTheFallbackPeriodForever() {
        TestProvider provider = new TestProvider("kafka", clock);
        provider.withoutExpiry = true;
        manager.addProvider(provider, "p");
        settle();
        assertThat(status("kafka").validUntil()).isEmpty();
        assertThat(status("kafka").nextObtain()).contains(START.plus(Duration.ofHours(1)));

        timer.advance(Duration.ofHours(5));

        assertThat(provider.calls).hasValue(6);
        assertThat(containerText("kafka")).isEqualTo("kafka-6");
    }

    @Test
    void failuresBackOffExponentiallyKeepTheLastGoodTokensAndRecover() {
        TestProvider provider = new TestProvider("hdfs", clock);
        provider.lifetime = Duration.ofDays(1);
        TestReceiver receiver = new TestReceiver("hdfs");
        manager.addReceiver(receiver, "r");
        manager.addProvider(provider, "p");
        settle();
        provider.failure = new IllegalStateException("KDC unreachable");

        timer.advance(Duration.ofHours(18)); // the renewal at 0.75 of a day fails
        Instant firstFailure = clock.instant();
        assertThat(status("hdfs").state()).isEqualTo(State.FAILING);
        assertThat(status("hdfs").consecutiveFailures()).isEqualTo(1);
        assertThat(status("hdfs").lastError()).contains("IllegalStateException: KDC unreachable");
        assertThat(status("hdfs").nextObtain()).contains(firstFailure.plusSeconds(30));
        timer.advance(Duration.ofSeconds(30));
        assertThat(status("hdfs").nextObtain()).contains(clock.instant().plusSeconds(60));
        timer.advance(Duration.ofSeconds(60));
        assertThat(status("hdfs").nextObtain()).contains(clock.instant().plusSeconds(120));
        assertThat(status("hdfs").consecutiveFailures()).isEqualTo(3);
        // the last good tokens are kept meanwhile
        assertThat(containerText("hdfs")).isEqualTo("hdfs-1");
        assertThat(receiver.events).containsExactly("hdfs-1");

        provider.failure = null;
        timer.advance(Duration.ofSeconds(120));
        assertThat(status("hdfs").state()).isEqualTo(State.VALID);
        assertThat(status("hdfs").consecutiveFailures()).isZero();
        assertThat(status("hdfs").lastError()).isEmpty();
        assertThat(receiver.last()).isEqualTo("hdfs-5");
    }

    @Test
    void backoffIsCappedSoRetriesComeBeforeTheTokensExpire() {
        TestProvider provider = new TestProvider("hdfs", clock);
        provider.lifetime = Duration.ofMinutes(4);
        manager.addProvider(provider, "p");
        settle();
        provider.failure = new IllegalStateException("down");

        timer.advance(Duration.ofMinutes(3)); // renewal at 0.75 fails, 60 s of validity left
        // backoff would be 30 s, within half the remaining 60 s
        assertThat(status("hdfs").nextObtain()).contains(clock.instant().plusSeconds(30));
        timer.advance(Duration.ofSeconds(30));
        // backoff would be 60 s, capped to half the remaining 30 s
        assertThat(status("hdfs").nextObtain()).contains(clock.instant().plusSeconds(15));
    }

    @Test
    void tokensThatExpireUnrenewedAreWithdrawnFromContainerAndReceivers() {
        TestProvider provider = new TestProvider("hdfs", clock);
        provider.lifetime = Duration.ofMinutes(4);
        TestReceiver receiver = new TestReceiver("hdfs");
        manager.addReceiver(receiver, "r");
        manager.addProvider(provider, "p");
        settle();
        provider.failure = new IllegalStateException("down");

        timer.advance(Duration.ofMinutes(4));

        assertThat(receiver.events).containsExactly("hdfs-1", "WITHDRAWN");
        assertThat(manager.container().services()).doesNotContain("hdfs");
        assertThat(status("hdfs").state()).isEqualTo(State.FAILING);
        assertThat(status("hdfs").validUntil()).isEmpty();
        assertThat(status("hdfs").fingerprint()).isEmpty();

        provider.failure = null;
        timer.advance(Duration.ofMinutes(15));
        assertThat(receiver.last()).startsWith("hdfs-");
        assertThat(status("hdfs").state()).isEqualTo(State.VALID);
    }

    @Test
    void tokensAlreadyExpiredWhenObtainedAreRefusedWithAClearError() {
        TestProvider provider = new TestProvider("hdfs", clock);
        provider.lifetime = Duration.ofMinutes(-5);
        manager.addProvider(provider, "p");
        settle();

        assertThat(manager.container().services()).isEmpty();
        assertThat(status("hdfs").state()).isEqualTo(State.FAILING);
        assertThat(status("hdfs").lastError().orElseThrow())
                .contains("expired at 2025-12-31T23:55:00Z").contains("clock skew");
        // no tokens held: at most renewal.retry.max-wait-without-tokens, 15 s × (1 − 0.2 × 0.5)
        assertThat(status("hdfs").nextObtain()).contains(START.plusMillis(13_500));
    }

    @Test
    void aClockJumpPastExpiryWithdrawsAndReobtainsAtOnce() {
        TestProvider provider = new TestProvider("hdfs", clock);
        TestReceiver receiver = new TestReceiver("hdfs");
        manager.addReceiver(receiver, "r");
        manager.addProvider(provider, "p");
        settle();

        clock.advance(Duration.ofHours(3)); // e.g. the host was suspended
        timer.runDue();

        assertThat(provider.calls).hasValue(2);
        assertThat(receiver.last()).isEqualTo("hdfs-2");
        assertThat(status("hdfs").validUntil()).contains(clock.instant().plus(Duration.ofHours(1)));
    }

    @Test
    void aClockJumpBackwardsTriggersNothingEarly() {
        TestProvider provider = new TestProvider("hdfs", clock);
        manager.addProvider(provider, "p");
        settle();

        clock.set(START.minus(Duration.ofHours(2)));
        timer.runDue();
        timer.advance(Duration.ofHours(2).plusMinutes(44));

        assertThat(provider.calls).hasValue(1);
        timer.advance(Duration.ofMinutes(1));
        assertThat(provider.calls).hasValue(2);
    }

    @Test
    void aProviderLeavingMidObtainHasItsResultDiscardedAndTokensWithdrawn() {
        TestProvider provider = new TestProvider("hdfs", clock);
        TestReceiver receiver = new TestReceiver("hdfs");
        manager.addReceiver(receiver, "r");
        manager.addProvider(provider, "p");
        settle();
        CompletableFuture<ServiceStatus> renewal = manager.obtainNow("hdfs");
        assertThat(obtains.pending()).isEqualTo(1); // queued, not run yet

        manager.removeProvider(provider);
        settle();

        assertThat(provider.calls).hasValue(1);
        assertThat(renewal).isCompletedExceptionally();
        assertThat(manager.services()).isEmpty();
        assertThat(manager.container().services()).isEmpty();
        assertThat(receiver.events).containsExactly("hdfs-1", "WITHDRAWN");
    }

    @Test
    void duplicateServiceNamesKeepTheFirstAndPromoteTheNextWhenItLeaves() {
        TestProvider first = new TestProvider("hdfs", clock);
        TestProvider second = new TestProvider("hdfs", clock);
        TestReceiver receiver = new TestReceiver("hdfs");
        manager.addReceiver(receiver, "r");
        manager.addProvider(first, "first");
        manager.addProvider(second, "second");
        settle();

        assertThat(manager.services()).extracting(ServiceStatus::origin, ServiceStatus::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("first", State.VALID),
                        org.assertj.core.groups.Tuple.tuple("second", State.DUPLICATE));
        assertThat(second.calls).hasValue(0);

        manager.removeProvider(first);
        settle();

        assertThat(second.calls).hasValue(1);
        assertThat(status("hdfs").origin()).isEqualTo("second");
        // the withdrawal and the new tokens coalesce: the receiver is handed only the newest state
        assertThat(receiver.events).containsExactly("hdfs-1", "hdfs-1");
        assertThat(manager.receivers().get(0).deliveredVersion()).isEqualTo(3);
    }

    @Test
    void aThrowingReceiverDoesNotStopTheOthers() {
        TestReceiver broken = new TestReceiver("hdfs");
        broken.failure = new IllegalStateException("disk full");
        TestReceiver healthy = new TestReceiver("hdfs");
        manager.addReceiver(broken, "broken");
        manager.addReceiver(healthy, "healthy");
        manager.addProvider(new TestProvider("hdfs", clock), "p");
        settle();

        assertThat(healthy.events).containsExactly("hdfs-1");
        assertThat(manager.receivers()).filteredOn(r -> r.origin().equals("broken")).singleElement()
                .satisfies(r -> {
                    assertThat(r.failures()).isEqualTo(1);
                    assertThat(r.deliveredVersion()).isZero();
                    assertThat(r.lastError()).contains("IllegalStateException: disk full");
                });
    }

    @Test
    void aReceiverThatAppearsLaterGetsTheCurrentTokensAtOnce() {
        manager.addProvider(new TestProvider("hdfs", clock), "p");
        settle();
        TestReceiver late = new TestReceiver("hdfs");

        manager.addReceiver(late, "late");
        settle();

        assertThat(late.events).containsExactly("hdfs-1");
    }

    @Test
    void aRemovedReceiverGetsNothingMore() {
        TestProvider provider = new TestProvider("hdfs", clock);
        TestReceiver receiver = new TestReceiver("hdfs");
        manager.addReceiver(receiver, "r");
        manager.addProvider(provider, "p");
        settle();
        manager.removeReceiver(receiver);

        manager.obtainNow("hdfs");
        settle();

        assertThat(receiver.events).containsExactly("hdfs-1");
        assertThat(manager.receivers()).isEmpty();
    }

    @Test
    void disablingAProviderWithdrawsItsTokensAndEnablingObtainsAgain() {
        TestProvider hdfs = new TestProvider("hdfs", clock);
        TestProvider s3 = new TestProvider("s3", clock);
        TestReceiver receiver = new TestReceiver("hdfs");
        manager.addReceiver(receiver, "r");
        manager.addProvider(hdfs, "p");
        manager.addProvider(s3, "p");
        settle();

        manager.updateSettings(new ManagerSettings(true, Map.of("hdfs", false), RenewalSettings.DEFAULTS));
        settle();
        assertThat(status("hdfs").state()).isEqualTo(State.DISABLED);
        assertThat(status("hdfs").nextObtain()).isEmpty();
        assertThat(manager.container().services()).containsExactly("s3");
        assertThat(receiver.last()).isEqualTo("WITHDRAWN");
        timer.advance(Duration.ofHours(3));
        assertThat(hdfs.calls).hasValue(1);
        assertThat(manager.obtainNow("hdfs")).isCompletedExceptionally();

        manager.updateSettings(ManagerSettings.DEFAULTS);
        settle();
        assertThat(status("hdfs").state()).isEqualTo(State.VALID);
        assertThat(receiver.last()).isEqualTo("hdfs-2");
    }

    @Test
    void theGlobalSwitchDisablesEveryProviderIncludingNewOnes() {
        manager.updateSettings(new ManagerSettings(false, Map.of(), RenewalSettings.DEFAULTS));
        TestProvider provider = new TestProvider("hdfs", clock);
        manager.addProvider(provider, "p");
        settle();

        assertThat(provider.calls).hasValue(0);
        assertThat(status("hdfs").state()).isEqualTo(State.DISABLED);
    }

    @Test
    void tokensNotRequiredAreNotObtainedAndAskedAgainLater() {
        TestProvider provider = new TestProvider("hdfs", clock);
        provider.required = false;
        manager.addProvider(provider, "p");
        settle();
        assertThat(provider.calls).hasValue(0);
        assertThat(status("hdfs").state()).isEqualTo(State.NOT_REQUIRED);

        provider.required = true;
        timer.advance(Duration.ofHours(1));
        assertThat(provider.calls).hasValue(1);
        assertThat(status("hdfs").state()).isEqualTo(State.VALID);
    }

    @Test
    void obtainNowAnswersWithTheStatusAfterTheAttempt() {
        TestProvider provider = new TestProvider("hdfs", clock);
        manager.addProvider(provider, "p");
        settle();

        CompletableFuture<ServiceStatus> done = manager.obtainNow("hdfs");
        assertThat(done).isNotDone();
        settle();

        assertThat(done).isCompleted();
        assertThat(done.join().state()).isEqualTo(State.VALID);
        assertThat(provider.calls).hasValue(2);
        assertThat(manager.obtainNow("nope")).isCompletedExceptionally();
    }

    @Test
    void providersWithInvalidServiceNamesAreIgnored() {
        manager.addProvider(new TestProvider("bad name", clock), "p");
        settle();
        assertThat(manager.services()).isEmpty();
    }

    @Test
    void anObtainThatTimesOutCountsAsAFailureAndItsLateResultIsDiscarded() {
        TestProvider provider = new TestProvider("hdfs", clock);
        manager.addProvider(provider, "p");
        // the obtain is queued but does not run within the timeout
        timer.advance(Duration.ofSeconds(30));

        assertThat(status("hdfs").state()).isEqualTo(State.FAILING);
        assertThat(status("hdfs").lastError()).contains("obtain timed out after PT30S");
        obtains.runAll();
        assertThat(provider.calls).hasValue(0); // an attempt that timed out before starting is dropped
        assertThat(manager.container().services()).isEmpty();

        timer.advance(Duration.ofSeconds(30));
        assertThat(status("hdfs").state()).isEqualTo(State.VALID);
    }
}
