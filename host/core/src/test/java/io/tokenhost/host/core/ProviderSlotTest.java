package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.ServiceStatus.State;
import io.tokenhost.api.TokenFingerprint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A slot's state changes only through its named transitions, and each does all of its job. */
class ProviderSlotTest {

    private static final Instant NOW = DeterministicManager.START;
    private static final byte[] TOKENS = "hdfs-1".getBytes(StandardCharsets.UTF_8);

    private final ProviderSlot slot = new ProviderSlot(new TestProvider("hdfs", null), "hdfs", "bundle-a");

    @Test
    void aProviderBrokenForGoodIsWarnedAboutThriceThenOnNewErrorsAndEveryInterval() {
        Duration interval = Duration.ofMinutes(10);
        List<Integer> warned = new ArrayList<>();
        for (int n = 1; n <= 100; n++) { // one failure every 15 s: 25 minutes
            slot.failed(n == 50 ? "another error" : "STS unreachable");
            if (slot.failureWorthWarning(NOW.plusSeconds(15L * (n - 1)), interval)) {
                warned.add(n);
            }
        }

        // 1-3; 43 is 10 min after 3; 50 a new error, 51 the old one again; 91 is 10 min after 51
        assertThat(warned).containsExactly(1, 2, 3, 43, 50, 51, 91);
    }

    @Test
    void obtainedRecordsTheTokensWithoutTheirBytesAndClearsEarlierFailures() {
        slot.switchedOn();
        slot.failed("KDC unreachable");
        slot.failed("KDC unreachable");

        slot.obtained(NOW, TOKENS, Optional.of(NOW.plus(Duration.ofHours(1))));

        ServiceStatus status = slot.status();
        assertThat(status.state()).isEqualTo(State.VALID);
        assertThat(status.lastObtain()).contains(NOW);
        assertThat(status.validUntil()).contains(NOW.plus(Duration.ofHours(1)));
        assertThat(status.consecutiveFailures()).isZero();
        assertThat(status.lastError()).isEmpty();
        assertThat(status.fingerprint()).contains(TokenFingerprint.of(TOKENS));
        assertThat(status.tokenBytes()).isEqualTo(TOKENS.length);
        assertThat(slot.holdsTokens()).isTrue();
    }

    @Test
    void failedCountsFailuresInARowAndKeepsTheTokensHeld() {
        slot.obtained(NOW, TOKENS, Optional.empty());

        assertThat(slot.failed("first")).isEqualTo(1);
        assertThat(slot.failed("second")).isEqualTo(2);

        assertThat(slot.status().state()).isEqualTo(State.FAILING);
        assertThat(slot.status().lastError()).contains("second");
        assertThat(slot.holdsTokens()).isTrue();
    }

    @Test
    void onlyFailuresThatWaitedTheFullBackoffRaiseItAndAnyResultResetsIt() {
        slot.obtained(NOW, TOKENS, Optional.of(NOW.plusSeconds(10)));
        slot.failed("capped retry");
        slot.failed("capped retry");
        assertThat(slot.backoffExponent()).isZero();
        assertThat(slot.status().consecutiveFailures()).isEqualTo(2);

        slot.failed("full backoff");
        slot.backoffRaised();
        slot.failed("full backoff");
        slot.backoffRaised();
        assertThat(slot.backoffExponent()).isEqualTo(2);
        assertThat(slot.status().consecutiveFailures()).isEqualTo(4);

        slot.obtained(NOW.plusSeconds(60), TOKENS, Optional.empty());
        assertThat(slot.backoffExponent()).isZero();
        slot.failed("again");
        slot.backoffRaised();
        slot.notRequired();
        assertThat(slot.backoffExponent()).isZero();
    }

    @Test
    void expiredForgetsTheTokensAndSaysWhyUnlessAFailureAlreadyDid() {
        Instant expiry = NOW.plus(Duration.ofMinutes(4));
        slot.obtained(NOW, TOKENS, Optional.of(expiry));
        RecordingTask watch = new RecordingTask();
        slot.expiryWatched(watch);

        slot.expired();

        assertThat(slot.holdsTokens()).isFalse();
        assertThat(slot.status().state()).isEqualTo(State.FAILING);
        assertThat(slot.status().validUntil()).isEmpty();
        assertThat(slot.status().fingerprint()).isEmpty();
        assertThat(slot.status().tokenBytes()).isZero();
        assertThat(slot.status().lastError()).contains("tokens expired at " + expiry + " without a successful renewal");
        assertThat(watch.cancelled).isTrue();

        ProviderSlot failing = new ProviderSlot(new TestProvider("s3", null), "s3", "bundle-b");
        failing.obtained(NOW, TOKENS, Optional.of(expiry));
        failing.failed("STS down");
        failing.expired();
        assertThat(failing.status().lastError()).contains("STS down");
    }

    @Test
    void newTokensReplaceTheExpiryWatchOfTheOldOnes() {
        slot.obtained(NOW, TOKENS, Optional.of(NOW.plusSeconds(60)));
        RecordingTask oldWatch = new RecordingTask();
        slot.expiryWatched(oldWatch);

        slot.obtained(NOW.plusSeconds(45), TOKENS, Optional.of(NOW.plusSeconds(105)));

        assertThat(oldWatch.cancelled).isTrue();
    }

    @Test
    void aPlannedObtainReplacesThePreviousOneAndCancellingForgetsIt() {
        RecordingTask first = new RecordingTask();
        RecordingTask second = new RecordingTask();
        slot.nextObtainPlanned(NOW.plusSeconds(30), first);
        slot.nextObtainPlanned(NOW.plusSeconds(60), second);

        assertThat(first.cancelled).isTrue();
        assertThat(slot.isNextObtainAt(NOW.plusSeconds(30))).isFalse();
        assertThat(slot.isNextObtainAt(NOW.plusSeconds(60))).isTrue();

        slot.cancelTimers();
        assertThat(second.cancelled).isTrue();
        assertThat(slot.nextObtain()).isEmpty();
    }

    @Test
    void switchingOnShowsWhetherTokensAreHeldAndSwitchingOffDisables() {
        slot.switchedOn();
        assertThat(slot.status().state()).isEqualTo(State.PENDING);
        slot.obtained(NOW, TOKENS, Optional.empty());
        slot.switchedOff();
        assertThat(slot.status().state()).isEqualTo(State.DISABLED);
        assertThat(slot.isEnabled()).isFalse();
        slot.switchedOn();
        assertThat(slot.status().state()).isEqualTo(State.VALID);
        assertThat(slot.isEnabled()).isTrue();
    }

    @Test
    void aNewRevisionTakesOverTheTokensHeldAndMarksThemUntilItObtainsItsOwn() {
        PluginBundle plugin = new PluginBundle("io.tokenhost.example.provider", 12);
        ProviderSlot previous = new ProviderSlot(new TestProvider("hdfs", null), "hdfs", plugin.toString(), plugin);
        previous.switchedOn();
        previous.obtained(NOW, TOKENS, Optional.of(NOW.plusSeconds(60)));
        previous.handingOver();
        assertThat(previous.status().state()).isEqualTo(State.HANDING_OVER);
        assertThat(previous.isEnabled()).isFalse();
        ProviderSlot next = new ProviderSlot(new TestProvider("hdfs", null), "hdfs", plugin.toString(), plugin);
        assertThat(next.isRevisionOf(previous)).isTrue();
        assertThat(slot.isRevisionOf(previous)).as("not from a bundle").isFalse();

        next.tookOver(previous);
        next.switchedOn();

        ServiceStatus status = next.status();
        assertThat(status.fromPreviousRevision()).isTrue();
        assertThat(status.fingerprint()).contains(TokenFingerprint.of(TOKENS));
        assertThat(status.validUntil()).contains(NOW.plusSeconds(60));
        assertThat(status.lastObtain()).contains(NOW);
        assertThat(next.holdsTokens()).isTrue();
        next.obtained(NOW.plusSeconds(1), TOKENS, Optional.empty());
        assertThat(next.status().fromPreviousRevision()).isFalse();
        next.tookOver(previous);
        next.withdrawn();
        assertThat(next.status().fromPreviousRevision()).isFalse();
    }

    @Test
    void waitersAreAnsweredWithTheStatusOrTheReasonTheyCannotBe() {
        CompletableFuture<ServiceStatus> answered = new CompletableFuture<>();
        slot.addWaiter(answered);
        slot.notRequired();
        slot.completeWaiters();
        assertThat(answered.join().state()).isEqualTo(State.NOT_REQUIRED);

        CompletableFuture<ServiceStatus> refused = new CompletableFuture<>();
        slot.addWaiter(refused);
        slot.failWaiters("provider of service 'hdfs' left");
        assertThat(refused).isCompletedExceptionally();
    }

    private static final class RecordingTask implements TaskTimer.Cancellable {
        boolean cancelled;

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
