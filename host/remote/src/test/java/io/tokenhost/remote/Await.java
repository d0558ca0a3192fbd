package io.tokenhost.remote;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for a condition; fails with a description when it does not hold in time. */
public final class Await {

    private Await() {
    }

    public static void until(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(10);
        }
    }
}
