package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A standby manager (manager high availability) obtains nothing, on any path: a provider that
 * appears, a planned renewal, an expiry, obtain-now; a running obtain's result is discarded. The
 * moment it leads it obtains every enabled service at once.
 */
class StandbyTest {

    private final DeterministicManager m = new DeterministicManager();

    @Test
    void aStandbyObtainsNothingUntilItLeadsThenEverythingAtOnce() {
        m.manager.standBy("the leader is m2:7443");
        TestProvider a = new TestProvider("svc-a", m.clock);
        TestProvider b = new TestProvider("svc-b", m.clock);
        m.manager.addProvider(a, "test");
        m.manager.addProvider(b, "test");
        m.timer.advance(Duration.ofHours(3));
        m.settle();
        assertThat(a.calls).hasValue(0);
        assertThat(b.calls).hasValue(0);
        CompletableFuture<?> now = m.manager.obtainNow("svc-a");
        assertThat(now).isCompletedExceptionally();
        assertThat(m.manager.standbyReason()).contains("the leader is m2:7443");

        m.manager.lead();
        m.settle();
        assertThat(a.calls).hasValue(1);
        assertThat(b.calls).hasValue(1);
        assertThat(m.manager.standbyReason()).isEmpty();
        assertThat(m.manager.container().services()).containsExactly("svc-a", "svc-b");
    }

    @Test
    void steppingDownCallsOffPlannedRenewalsAndDiscardsARunningObtain() {
        TestProvider a = new TestProvider("svc-a", m.clock);
        m.manager.addProvider(a, "test");
        m.settle();
        assertThat(a.calls).hasValue(1);
        long version = m.manager.containerVersion();

        m.manager.obtainNow("svc-a"); // queued on the manual executor, not run yet
        m.manager.standBy("lost the ZooKeeper session");
        m.settle(); // the obtain runs, but its result must not count
        m.timer.advance(Duration.ofHours(2)); // past the planned renewal and the expiry
        m.settle();
        assertThat(m.manager.containerVersion()).isEqualTo(version);
        int callsWhileStandingBy = a.calls.get();
        m.timer.advance(Duration.ofHours(2));
        m.settle();
        assertThat(a.calls).hasValue(callsWhileStandingBy);

        m.manager.lead();
        m.settle();
        assertThat(a.calls).hasValue(callsWhileStandingBy + 1);
        assertThat(m.manager.containerVersion()).isGreaterThan(version);
        m.manager.lead(); // leading already: nothing more
        m.settle();
        assertThat(a.calls).hasValue(callsWhileStandingBy + 1);
    }
}
