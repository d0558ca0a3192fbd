package io.tokenhost.itests.osgi;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes; the failure says what was awaited. */
public final class Await {

    public static final Duration DEFAULT = Duration.ofSeconds(15);

    private Await() {
    }

    public static void until(String what, Supplier<Boolean> condition) throws InterruptedException {
        value(what, () -> condition.get() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    public static <T> T value(String what, Supplier<Optional<T>> probe) throws InterruptedException {
        long deadline = System.nanoTime() + DEFAULT.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEFAULT.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
