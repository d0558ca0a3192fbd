package io.tokenhost.host.core;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs providers' obtains on the obtain executor, each with a timeout that interrupts it, and at
 * most one per provider at a time: an attempt stays registered until its thread returns, so a
 * provider that ignores interrupts is never called twice at once. Plugin code runs outside the
 * lock; everything else runs under it, including the {@code ended} callback, which hears of every
 * attempt that completes or times out, but not of one that was stopped.
 */
final class ObtainRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ObtainRunner.class);

    private final Object lock;
    private final Clock clock;
    private final TaskTimer timer;
    private final Executor executor;
    private final Ended ended;
    private final Map<ProviderSlot, Attempt> running = new HashMap<>();

    ObtainRunner(Object lock, Clock clock, TaskTimer timer, Executor executor,
            Ended ended) {
        this.lock = lock;
        this.clock = clock;
        this.timer = timer;
        this.executor = executor;
        this.ended = ended;
    }

    /** Whether an obtain of this slot is queued or running, even one past its timeout or stopped. */
    boolean isRunning(ProviderSlot slot) {
        return running.containsKey(slot);
    }

    /** Whether the obtain still running for this slot timed out or was stopped. */
    boolean isOverrunning(ProviderSlot slot) {
        Attempt attempt = running.get(slot);
        return attempt != null && attempt.abandoned;
    }

    /** Starts an obtain; the caller checks first that none {@link #isRunning is running}. */
    void start(ProviderSlot slot, Duration timeout) {
        Attempt attempt = new Attempt();
        attempt.started = clock.instant();
        running.put(slot, attempt);
        attempt.timeout = timer.schedule(clock.instant().plus(timeout), () -> onTimeout(slot, attempt, timeout));
        executor.execute(() -> run(slot, attempt));
    }

    /** Abandons the slot's obtain, if one runs: it is interrupted and its result dropped. */
    void stop(ProviderSlot slot) {
        Attempt attempt = running.get(slot);
        if (attempt != null) {
            attempt.timeout.cancel();
            attempt.abandon();
        }
    }

    /** Runs on the obtain executor. */
    private void run(ProviderSlot slot, Attempt attempt) {
        synchronized (lock) {
            if (attempt.abandoned) {
                running.remove(slot, attempt); // it never started: nothing else to wait for
                return;
            }
            attempt.thread = Thread.currentThread();
        }
        ObtainOutcome outcome = ObtainOutcome.ask(slot.provider());
        synchronized (lock) {
            attempt.thread = null;
            Thread.interrupted(); // an interrupt aimed at this attempt must not hit the pool's next task
            running.remove(slot, attempt);
            attempt.timeout.cancel();
            if (attempt.abandoned) {
                LOG.debug("Discarded the late result of an obtain for '{}'", slot.service());
                return;
            }
            ended.ended(slot, outcome, Duration.between(attempt.started, clock.instant()));
        }
    }

    private void onTimeout(ProviderSlot slot, Attempt attempt, Duration timeout) {
        synchronized (lock) {
            if (running.get(slot) != attempt || attempt.abandoned) {
                return;
            }
            attempt.abandon();
            ended.ended(slot, ObtainOutcome.failed("obtain timed out after " + timeout), timeout);
        }
    }

    /** Hears of an attempt that completed or timed out, and how long it ran. */
    @FunctionalInterface
    interface Ended {
        void ended(ProviderSlot slot, ObtainOutcome outcome, Duration took);
    }

    /** One call of a provider's obtain; one abandoned (timed out or stopped) has its result dropped. */
    private static final class Attempt {
        /** The thread running it, so it can be interrupted; null before it starts and after. */
        Thread thread;
        TaskTimer.Cancellable timeout;
        java.time.Instant started;
        boolean abandoned;

        void abandon() {
            abandoned = true;
            if (thread != null) {
                thread.interrupt();
            }
        }
    }
}
