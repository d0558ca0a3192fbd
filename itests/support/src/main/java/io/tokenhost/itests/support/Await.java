package io.tokenhost.itests.support;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Bounded polling: every wait ends, and one that runs out fails with an {@link AssertionError}
 * naming what did not happen (with the last value seen, and the last exception as its cause). A
 * poll that throws an exception counts as "not yet"; one that throws an error (a failed
 * assertion) ends the wait at once. {@link #holdsFor} is the opposite: a condition that must keep
 * holding for a while.
 */
public final class Await {

    private static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

    /** A condition that may throw while the thing it checks is not there yet. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Looks for a value; empty while there is none yet. */
    @FunctionalInterface
    public interface Probe<T> {
        Optional<T> poll() throws Exception;
    }

    private final Duration timeout;
    private final Duration interval;

    private Await(Duration timeout, Duration interval) {
        this.timeout = timeout;
        this.interval = interval;
    }

    /** Waits of at most {@code timeout}, polling every 100 ms. */
    public static Await atMost(Duration timeout) {
        return new Await(timeout, DEFAULT_INTERVAL);
    }

    /** The same waits, polling every {@code interval} (1 ms for a latency measurement, say). */
    public Await every(Duration interval) {
        return new Await(timeout, interval);
    }

    public void until(String what, Condition condition) throws InterruptedException {
        poll(what, condition::holds, Boolean::booleanValue, false);
    }

    /** Polls until the probe finds a value, and returns it. */
    public <T> T value(String what, Probe<T> probe) throws InterruptedException {
        return poll(what, probe::poll, Optional::isPresent, false).orElseThrow();
    }

    /** Takes samples until one is accepted, and returns it; a timeout shows the last sample. */
    public <T> T until(String what, Callable<T> sample, Predicate<? super T> accept) throws InterruptedException {
        return poll(what, sample, accept, true);
    }

    /**
     * The opposite wait: checks the condition every 100 ms for the whole {@code period} (the first
     * check at once, the last at its end) and fails at the first check where it does not hold (or
     * throws), naming {@code what} and when. For "nothing happens for a while".
     */
    public static void holdsFor(Duration period, String what, Condition condition) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + period.toNanos();
        while (true) {
            boolean holds;
            try {
                holds = condition.holds();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError(what + ": the check failed after " + elapsedMs(start) + " ms", e);
            }
            if (!holds) {
                throw new AssertionError(what + ": no longer so after " + elapsedMs(start) + " ms of "
                        + describe(period));
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(DEFAULT_INTERVAL.toMillis(), Math.max(1, left / 1_000_000)));
        }
    }

    private <T> T poll(String what, Callable<T> sample, Predicate<? super T> accept, boolean showLast)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        Exception failure = null;
        while (true) {
            try {
                T value = sample.call();
                if (accept.test(value)) {
                    return value;
                }
                last = value;
                failure = null;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                failure = e;
            }
            if (System.nanoTime() - deadline > 0) {
                String seen = showLast && last != null ? "; last seen: " + last : "";
                throw new AssertionError("timed out after " + describe(timeout) + " waiting for " + what + seen, failure);
            }
            Thread.sleep(interval.toMillis());
        }
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
