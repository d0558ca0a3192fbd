package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real timer on a real scheduler, with a wall clock the test jumps. */
class WallClockTimerTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final WallClockTimer timer = new WallClockTimer(clock, scheduler, Duration.ofMillis(20));

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aTaskInThePastRunsAtOnce() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        timer.schedule(clock.instant().minusSeconds(5), ran::countDown);
        assertThat(ran.await(2, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aForwardClockJumpRunsADistantTaskWithinTheMaximumSleep() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        timer.schedule(clock.instant().plus(Duration.ofHours(2)), ran::countDown);
        assertThat(ran.await(100, TimeUnit.MILLISECONDS)).isFalse();

        clock.advance(Duration.ofHours(3));

        assertThat(ran.await(2, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTaskNeverRunsBeforeItsInstantEvenAfterTheClockGoesBack() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        Instant at = clock.instant().plusSeconds(10);
        timer.schedule(at, ran::countDown);
        clock.advance(Duration.ofSeconds(-30));
        assertThat(ran.await(200, TimeUnit.MILLISECONDS)).isFalse();

        clock.set(at);

        assertThat(ran.await(2, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aCancelledTaskDoesNotRun() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        timer.schedule(clock.instant().plusMillis(50), ran::countDown).cancel();
        clock.advance(Duration.ofSeconds(1));
        assertThat(ran.await(200, TimeUnit.MILLISECONDS)).isFalse();
    }
}
