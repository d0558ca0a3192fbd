package io.tokenhost.host.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TaskTimer} on a {@link ScheduledExecutorService}. It never sleeps longer than {@code
 * maxSleep} at a time and re-reads the clock on waking, so a task comes due within {@code maxSleep}
 * of its instant even if the wall clock jumps forward, and never early if it jumps back.
 */
public final class WallClockTimer implements TaskTimer {

    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Duration maxSleep;

    public WallClockTimer(Clock clock, ScheduledExecutorService executor, Duration maxSleep) {
        this.clock = clock;
        this.executor = executor;
        this.maxSleep = maxSleep;
    }

    @Override
    public Cancellable schedule(Instant at, Runnable task) {
        Pending pending = new Pending(at, task);
        pending.arm();
        return pending;
    }

    private final class Pending implements Cancellable {
        private final Instant at;
        private final Runnable task;
        private ScheduledFuture<?> future;
        private boolean cancelled;

        Pending(Instant at, Runnable task) {
            this.at = at;
            this.task = task;
        }

        synchronized void arm() {
            if (cancelled) {
                return;
            }
            Duration remaining = Duration.between(clock.instant(), at);
            long sleepNanos = Math.max(0, Math.min(remaining.toNanos(), maxSleep.toNanos()));
            future = executor.schedule(this::wake, sleepNanos, TimeUnit.NANOSECONDS);
        }

        private void wake() {
            if (clock.instant().isBefore(at)) {
                arm();
                return;
            }
            synchronized (this) {
                if (cancelled) {
                    return;
                }
            }
            task.run();
        }

        @Override
        public synchronized void cancel() {
            cancelled = true;
            if (future != null) {
                future.cancel(false);
            }
        }
    }
}
