package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.ObtainedTokens;
import io.tokenhost.api.ServiceStatus.State;
import io.tokenhost.itests.support.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Obtains on real threads: a hanging provider must not hold up the others. */
class ProviderIsolationTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final FakeTimer timer = new FakeTimer(clock, () -> { });
    private final ExecutorService obtains = Executors.newCachedThreadPool();
    private final ExecutorService deliveries = Executors.newFixedThreadPool(2);
    private final TokenManager manager =
            new TokenManager(clock, timer, obtains, deliveries, () -> 0.5, ManagerSettings.DEFAULTS);

    @AfterEach
    void stop() {
        manager.close();
        obtains.shutdownNow();
        deliveries.shutdownNow();
    }

    @Test
    void aHangingProviderDelaysNoOtherAndIsInterruptedAtItsTimeout() throws Exception {
        HangingProvider slow = new HangingProvider(true);
        TestProvider fast = new TestProvider("fast", clock);
        TestReceiver receiver = new TestReceiver("fast");
        manager.addReceiver(receiver, "r");

        manager.addProvider(slow, "slow-bundle");
        assertThat(slow.started.await(5, TimeUnit.SECONDS)).isTrue();
        manager.addProvider(fast, "fast-bundle");

        Await.atMost(Duration.ofSeconds(5)).every(Duration.ofMillis(5))
                .until("the fast provider's tokens delivered", () -> "fast-1".equals(receiver.last()));
        assertThat(manager.service("slow").orElseThrow().state()).isEqualTo(State.PENDING);

        timer.advance(Duration.ofSeconds(30));

        assertThat(slow.interrupted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(manager.service("slow").orElseThrow().state()).isEqualTo(State.FAILING);
        assertThat(manager.service("slow").orElseThrow().lastError()).contains("obtain timed out after PT30S");
        assertThat(manager.container().services()).containsExactly("fast");
    }

    @Test
    void aProviderIgnoringInterruptsIsNeverCalledTwiceAtOnce() throws Exception {
        HangingProvider stubborn = new HangingProvider(false);
        try {
            manager.addProvider(stubborn, "stubborn-bundle");
            assertThat(stubborn.started.await(5, TimeUnit.SECONDS)).isTrue();

            timer.advance(Duration.ofSeconds(30)); // timeout; no tokens held, so the retry is planned 13.5 s later
            timer.advance(Duration.ofSeconds(15)); // the retry finds the first call still running

            assertThat(stubborn.calls.get()).isFalse();
            assertThat(manager.service("slow").orElseThrow().consecutiveFailures()).isEqualTo(2);
            assertThat(manager.service("slow").orElseThrow().lastError().orElseThrow())
                    .contains("still running past its timeout");
        } finally {
            stubborn.release.countDown(); // it ignores interrupts: a failed assertion must not leave its thread hanging
        }
    }

    /** Blocks in obtain; honours interrupts or, if told not to, waits for release regardless. */
    private static final class HangingProvider implements DelegationTokenProvider {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        /** Set if a second call arrives while the first is running. */
        final AtomicBoolean calls = new AtomicBoolean();
        private final boolean honoursInterrupts;
        private final AtomicBoolean running = new AtomicBoolean();

        HangingProvider(boolean honoursInterrupts) {
            this.honoursInterrupts = honoursInterrupts;
        }

        @Override
        public String serviceName() {
            return "slow";
        }

        @Override
        public ObtainedTokens obtainDelegationTokens() throws Exception {
            if (!running.compareAndSet(false, true)) {
                calls.set(true);
            }
            started.countDown();
            try {
                while (true) {
                    try {
                        release.await();
                        return ObtainedTokens.withoutExpiry(new byte[] {1});
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        if (honoursInterrupts) {
                            throw e;
                        }
                    }
                }
            } finally {
                running.set(false);
            }
        }
    }
}
