package io.tokenhost.host.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A {@link TaskTimer} driven by a {@link ManualClock}: {@link #advance} moves the clock and runs,
 * in time order, every task that has come due (including ones scheduled meanwhile).
 */
final class FakeTimer implements TaskTimer {

    private final ManualClock clock;
    private final List<Entry> entries = new ArrayList<>();
    private final Runnable afterEachTask;

    /** @param afterEachTask run after each task, e.g. to drain manual executors */
    FakeTimer(ManualClock clock, Runnable afterEachTask) {
        this.clock = clock;
        this.afterEachTask = afterEachTask;
    }

    @Override
    public synchronized Cancellable schedule(Instant at, Runnable task) {
        Entry entry = new Entry(at, task);
        entries.add(entry);
        return () -> {
            synchronized (FakeTimer.this) {
                entries.remove(entry);
            }
        };
    }

    void advance(Duration duration) {
        advanceTo(clock.instant().plus(duration));
    }

    /** Moves the clock to {@code target}, stopping at each due task on the way. */
    void advanceTo(Instant target) {
        while (true) {
            Entry next = nextDue(target).orElse(null);
            if (next == null) {
                break;
            }
            if (next.at.isAfter(clock.instant())) {
                clock.set(next.at);
            }
            next.task.run();
            afterEachTask.run();
        }
        if (target.isAfter(clock.instant())) {
            clock.set(target);
        }
    }

    /** Runs whatever is due now, without moving the clock (after it jumped). */
    void runDue() {
        advanceTo(clock.instant());
    }

    /** The earliest pending task's instant. */
    synchronized Optional<Instant> nextAt() {
        return entries.stream().map(e -> e.at).min(Comparator.naturalOrder());
    }

    private synchronized Optional<Entry> nextDue(Instant target) {
        Optional<Entry> next = entries.stream()
                .filter(e -> !e.at.isAfter(target))
                .min(Comparator.comparing((Entry e) -> e.at));
        next.ifPresent(entries::remove);
        return next;
    }

    private record Entry(Instant at, Runnable task) {
    }
}
