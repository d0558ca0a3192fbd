package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.ServiceStatus.State;
import io.tokenhost.host.core.TokenManager.Departure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * A plugin bundle updated, stopped or uninstalled under a provider in charge: the tokens it
 * obtained stay at the receivers until the plugin's next revision obtains its own, or until they
 * expire, the update grace ends or the plugin is uninstalled. Driven by the manual clock and timer.
 */
class PluginUpdateTest {

    private static final Instant START = DeterministicManager.START;
    private static final PluginBundle PLUGIN = new PluginBundle("io.tokenhost.example.provider", 12);
    private static final PluginBundle OTHER_PLUGIN = new PluginBundle("io.tokenhost.other", 13);

    private final DeterministicManager harness = new DeterministicManager();
    private final FakeTimer timer = harness.timer;
    private final TokenManager manager = harness.manager;
    private final TestReceiver receiver = new TestReceiver("hdfs");
    private final TestProvider v1 = new TestProvider("hdfs", "v1", harness.clock);
    private final TestProvider v2 = new TestProvider("hdfs", "v2", harness.clock);

    /** v1 in charge, its first tokens (valid 1 h) at the receiver. */
    private void runV1() {
        manager.addReceiver(receiver, "receiver [20]");
        manager.addProvider(v1, PLUGIN);
        harness.settle();
        assertThat(receiver.events).containsExactly("v1-1");
    }

    private ServiceStatus status() {
        return manager.service("hdfs").orElseThrow();
    }

    private String container() {
        return manager.container().tokens("hdfs").map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
    }

    @Test
    void anUpdateKeepsTheTokensUntilTheNewRevisionObtainsItsOwn() {
        runV1();
        long version = manager.containerVersion();

        manager.removeProvider(v1, Departure.BUNDLE_STOPPING);
        harness.settle();

        ServiceStatus leaving = status();
        assertThat(leaving.state()).isEqualTo(State.HANDING_OVER);
        assertThat(leaving.origin()).isEqualTo("io.tokenhost.example.provider [12]");
        assertThat(leaving.fingerprint()).isPresent();
        assertThat(leaving.validUntil()).contains(START.plus(Duration.ofHours(1)));
        assertThat(container()).isEqualTo("v1-1");
        assertThat(manager.containerVersion()).isEqualTo(version);

        manager.addProvider(v2, PLUGIN);
        // its first obtain is queued, not run yet: the receiver still has the previous revision's tokens
        assertThat(harness.obtains.pending()).isEqualTo(1);
        assertThat(status().fromPreviousRevision()).isTrue();
        assertThat(status().fingerprint()).isEqualTo(leaving.fingerprint());
        assertThat(container()).isEqualTo("v1-1");
        harness.settle();

        assertThat(receiver.events).containsExactly("v1-1", "v2-1");
        assertThat(manager.containerVersion()).isEqualTo(version + 1);
        assertThat(status().state()).isEqualTo(State.VALID);
        assertThat(status().fromPreviousRevision()).isFalse();
        assertThat(manager.services()).hasSize(1);
    }

    @Test
    void aBrokenRevisionKeepsTheOldTokensUntilTheyExpireAndSaysSo() {
        v1.lifetime = Duration.ofMinutes(4);
        runV1();
        timer.advance(Duration.ofMinutes(1));
        v2.failure = new IllegalStateException("this build cannot obtain");

        manager.removeProvider(v1, Departure.BUNDLE_STOPPING);
        manager.addProvider(v2, PLUGIN);
        harness.settle();

        ServiceStatus failing = status();
        assertThat(failing.state()).isEqualTo(State.FAILING);
        assertThat(failing.fromPreviousRevision()).isTrue();
        assertThat(failing.lastError()).contains("IllegalStateException: this build cannot obtain");
        assertThat(failing.validUntil()).contains(START.plus(Duration.ofMinutes(4)));
        assertThat(failing.nextObtain()).as("a retry comes before the inherited tokens expire")
                .hasValueSatisfying(at -> assertThat(at).isBefore(START.plus(Duration.ofMinutes(4))));

        timer.advanceTo(START.plus(Duration.ofMinutes(4)).minusMillis(1));
        assertThat(container()).isEqualTo("v1-1");
        assertThat(receiver.events).containsExactly("v1-1");
        assertThat(v2.calls.get()).isGreaterThan(1);

        timer.advance(Duration.ofMillis(1));
        assertThat(receiver.events).containsExactly("v1-1", "WITHDRAWN");
        assertThat(container()).isNull();
        assertThat(status().state()).isEqualTo(State.FAILING);
        assertThat(status().fromPreviousRevision()).isFalse();
        assertThat(status().fingerprint()).isEmpty();

        v2.failure = null; // a fixed build is obtained as usual
        timer.advance(Duration.ofMinutes(15));
        assertThat(receiver.last()).startsWith("v2-");
    }

    @Test
    void uninstallingThePluginWithdrawsItsTokensAtOnce() {
        runV1();
        manager.removeProvider(v1, Departure.BUNDLE_STOPPING);

        manager.pluginUninstalled(PLUGIN.id());
        harness.settle();

        assertThat(receiver.events).containsExactly("v1-1", "WITHDRAWN");
        assertThat(container()).isNull();
        assertThat(manager.services()).isEmpty();
    }

    @Test
    void uninstallingAnotherPluginChangesNothing() {
        runV1();
        manager.removeProvider(v1, Departure.BUNDLE_STOPPING);

        manager.pluginUninstalled(OTHER_PLUGIN.id());
        harness.settle();

        assertThat(receiver.events).containsExactly("v1-1");
        assertThat(status().state()).isEqualTo(State.HANDING_OVER);
    }

    @Test
    void whenNoRevisionComesWithinTheGraceTheTokensAreWithdrawn() {
        runV1();
        manager.removeProvider(v1, Departure.BUNDLE_STOPPING);

        timer.advance(ManagerSettings.DEFAULT_UPDATE_GRACE.minusMillis(1));
        assertThat(receiver.events).containsExactly("v1-1");
        timer.advance(Duration.ofMillis(1));

        assertThat(receiver.events).containsExactly("v1-1", "WITHDRAWN");
        assertThat(manager.services()).isEmpty();

        manager.addProvider(v2, PLUGIN); // a late revision starts afresh
        harness.settle();
        assertThat(receiver.events).containsExactly("v1-1", "WITHDRAWN", "v2-1");
        assertThat(status().fromPreviousRevision()).isFalse();
    }

    @Test
    void tokensThatExpireDuringTheGraceAreWithdrawnThen() {
        v1.lifetime = Duration.ofSeconds(10);
        runV1();
        manager.removeProvider(v1, Departure.BUNDLE_STOPPING);

        timer.advance(Duration.ofSeconds(10));

        assertThat(receiver.events).containsExactly("v1-1", "WITHDRAWN");
        assertThat(manager.services()).isEmpty();
    }

    @Test
    void aProviderOfAnotherPluginDoesNotTakeTheTokensOver() {
        runV1();
        manager.removeProvider(v1, Departure.BUNDLE_STOPPING);
        TestProvider other = new TestProvider("hdfs", "other", harness.clock);

        manager.addProvider(other, OTHER_PLUGIN);
        harness.deliveries.runAll(); // before its obtain runs

        assertThat(receiver.events).containsExactly("v1-1", "WITHDRAWN");
        assertThat(status().fromPreviousRevision()).isFalse();
        harness.settle();
        assertThat(receiver.events).containsExactly("v1-1", "WITHDRAWN", "other-1");
        assertThat(status().origin()).isEqualTo("io.tokenhost.other [13]");
    }

    @Test
    void aProviderItsRunningPluginWithdrawsHasItsTokensWithdrawnAtOnce() {
        runV1();

        manager.removeProvider(v1, Departure.WITHDRAWN);
        harness.settle();

        assertThat(receiver.events).containsExactly("v1-1", "WITHDRAWN");
        assertThat(manager.services()).isEmpty();
    }

    @Test
    void aWaitingDuplicateStillTakesOverAtOnce() {
        runV1();
        TestProvider duplicate = new TestProvider("hdfs", "dup", harness.clock);
        manager.addProvider(duplicate, OTHER_PLUGIN);

        manager.removeProvider(v1, Departure.BUNDLE_STOPPING);
        harness.settle();

        assertThat(status().origin()).isEqualTo("io.tokenhost.other [13]");
        assertThat(container()).isEqualTo("dup-1");
        assertThat(manager.services()).hasSize(1);

        manager.addProvider(v2, PLUGIN); // the updated plugin comes back as a duplicate
        harness.settle();
        assertThat(manager.services()).extracting(ServiceStatus::state).containsExactly(State.VALID, State.DUPLICATE);
        assertThat(v2.calls).hasValue(0);
    }

    @Test
    void zeroGraceWithdrawsAtOnceAsBefore() {
        manager.updateSettings(new ManagerSettings(true, Map.of(), RenewalSettings.DEFAULTS, Map.of(), Duration.ZERO));
        runV1();

        manager.removeProvider(v1, Departure.BUNDLE_STOPPING);
        harness.settle();

        assertThat(receiver.events).containsExactly("v1-1", "WITHDRAWN");
    }

    @Test
    void disablingTheServiceDuringTheHandOverWithdrawsItsTokens() {
        runV1();
        manager.removeProvider(v1, Departure.BUNDLE_STOPPING);

        manager.updateSettings(new ManagerSettings(true, Map.of("hdfs", false), RenewalSettings.DEFAULTS));
        harness.settle();

        assertThat(receiver.events).containsExactly("v1-1", "WITHDRAWN");
        assertThat(manager.services()).isEmpty();
    }

    @Test
    void obtainNowDuringTheHandOverSaysTheProviderLeft() {
        runV1();
        manager.removeProvider(v1, Departure.BUNDLE_STOPPING);

        CompletableFuture<ServiceStatus> attempt = manager.obtainNow("hdfs");

        assertThat(attempt).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .withMessageContaining("left; its plugin's next revision has not appeared yet");
    }

    @Test
    void closingTheManagerCallsTheGraceOffAndLeavesTheTokens() {
        runV1();
        manager.removeProvider(v1, Departure.BUNDLE_STOPPING);

        manager.close();

        assertThat(timer.nextAt()).as("nothing left to run").isEmpty();
        timer.advance(Duration.ofMinutes(5));
        assertThat(receiver.events).containsExactly("v1-1");
    }
}
