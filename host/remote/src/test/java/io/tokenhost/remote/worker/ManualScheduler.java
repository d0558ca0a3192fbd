package io.tokenhost.remote.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose time the test moves: {@code schedule} only records the task and its delay;
 * the test runs a task when it chooses (on its own thread), so the order of a {@link WorkerClient}'s
 * reconnects, holds and give-ups is the test's, and a wait of 20 s takes no time.
 */
final class ManualScheduler extends ScheduledThreadPoolExecutor {

    private static final Await AWAIT = Await.atMost(ScriptedManagers.WAIT).every(Duration.ofMillis(5));

    /** One scheduled task: its delay, and whether it was cancelled or run. */
    static final class Task implements ScheduledFuture<Object> {
        final long delayMillis;
        private final Runnable command;
        private volatile boolean cancelled;
        private volatile boolean done;

        Task(long delayMillis, Runnable command) {
            this.delayMillis = delayMillis;
            this.command = command;
        }

        void run() {
            assertThat(cancelled).as("running a cancelled task").isFalse();
            assertThat(done).as("running a task twice").isFalse();
            done = true;
            command.run();
        }

        boolean pending() {
            return !cancelled && !done;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(delayMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.MILLISECONDS), o.getDelay(TimeUnit.MILLISECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done) {
                return false;
            }
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }

    final List<Task> tasks = new CopyOnWriteArrayList<>();

    ManualScheduler() {
        super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Task task = new Task(unit.toMillis(delay), command);
        tasks.add(task);
        return task;
    }

    List<Task> pending() {
        return tasks.stream().filter(Task::pending).toList();
    }

    /** Waits until a task beyond the first {@code mark} was scheduled and returns the first such (not run). */
    Task awaitNew(String what, int mark) throws InterruptedException {
        AWAIT.until(what, tasks::size, n -> n > mark);
        return tasks.get(mark);
    }

    /** Waits until exactly one task with this delay is pending and returns it (not run). */
    Task awaitPending(String what, long delayMillis) throws InterruptedException {
        AWAIT.until(what + " (a task in " + delayMillis + " ms)", this::pending,
                p -> p.stream().filter(t -> t.delayMillis == delayMillis).count() == 1);
        return pending().stream().filter(t -> t.delayMillis == delayMillis).findFirst().orElseThrow();
    }

    /** Waits for the one pending task with this delay and runs it. */
    void runPending(String what, long delayMillis) throws InterruptedException {
        awaitPending(what, delayMillis).run();
    }
}
