package io.tokenhost.bench.runner;

import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/** Bounded polling: every wait ends, with an error naming what did not happen. */
final class Waits {

    private static final long LIMIT_NANOS = 60_000_000_000L;

    private Waits() {
    }

    /** Polls every millisecond, so the measured latencies are exact to about 1 ms. */
    static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    static <T> T untilSucceeds(Callable<T> call, String what) throws Exception {
        long deadline = System.nanoTime() + LIMIT_NANOS;
        while (true) {
            try {
                return call.call();
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out waiting for " + what + ": " + e.getMessage(), e);
                }
                Thread.sleep(200);
            }
        }
    }
}
