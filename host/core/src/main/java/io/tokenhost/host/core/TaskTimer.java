package io.tokenhost.host.core;

import java.time.Instant;

/**
 * Runs a task once the wall clock reaches an instant. Token validity is wall-clock time, so the
 * timer follows the wall clock even when it jumps, rather than a monotonic delay.
 */
public interface TaskTimer {

    /** Runs the task at or soon after {@code at}; at once if {@code at} has passed. */
    Cancellable schedule(Instant at, Runnable task);

    /** A scheduled task that can still be called off. */
    interface Cancellable {
        void cancel();
    }
}
