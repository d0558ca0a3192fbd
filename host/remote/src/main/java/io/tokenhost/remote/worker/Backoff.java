package io.tokenhost.remote.worker;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Jittered exponential backoff: the n-th delay is {@code min(max, initial × 2^(n-1))}, spread by
 * ± {@code jitter} (0.5 = between half and one and a half times). Reset after a good connection.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final double jitter;
    private final DoubleSupplier random;
    private int attempts;

    public Backoff(Duration initial, Duration max, double jitter, DoubleSupplier random) {
        this.initial = initial;
        this.max = max;
        this.jitter = jitter;
        this.random = random;
    }

    public synchronized Duration next() {
        attempts++;
        long base = initial.toMillis();
        for (int i = 1; i < attempts && base < max.toMillis(); i++) {
            base *= 2;
        }
        base = Math.min(base, max.toMillis());
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Duration.ofMillis(Math.max(1, Math.round(base * factor)));
    }

    /** The initial delay, jittered, without counting an attempt (the backoff does not grow). */
    public synchronized Duration first() {
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Duration.ofMillis(Math.max(1, Math.round(initial.toMillis() * factor)));
    }

    /** A backoff with the same settings, counting from the start (one per reconnecting stream). */
    public Backoff fresh() {
        return new Backoff(initial, max, jitter, random);
    }

    public synchronized void reset() {
        attempts = 0;
    }

    public synchronized int attempts() {
        return attempts;
    }
}
