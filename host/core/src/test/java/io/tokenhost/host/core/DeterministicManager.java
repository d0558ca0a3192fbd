package io.tokenhost.host.core;

import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * A {@link TokenManager} whose plugin code runs only when a test lets it: a manual clock and timer,
 * manual executors, and no jitter (random 0.5) unless a test gives its own, so every wait is exact.
 */
final class DeterministicManager {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    final ManualClock clock = new ManualClock(START);
    final ManualExecutor obtains = new ManualExecutor();
    final ManualExecutor deliveries = new ManualExecutor();
    final FakeTimer timer = new FakeTimer(clock, this::settle);
    final TokenManager manager;

    DeterministicManager() {
        this(() -> 0.5, ManagerSettings.DEFAULTS);
    }

    /** @param random the jitter's draws, uniform in [0, 1) */
    DeterministicManager(DoubleSupplier random, ManagerSettings settings) {
        manager = new TokenManager(clock, timer, obtains, deliveries, random, settings);
    }

    /** Runs obtains and deliveries until none is left (an obtain queues deliveries). */
    void settle() {
        while (obtains.runAll() + deliveries.runAll() > 0) {
            // keep going
        }
    }
}
