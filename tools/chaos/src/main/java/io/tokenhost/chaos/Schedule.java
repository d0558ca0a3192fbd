package io.tokenhost.chaos;

import io.tokenhost.chaos.Fault.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When each fault starts, from the baseline, and how long it lasts. A run shorter than one full
 * cycle (210 s) gets one compressed cycle: each fault once, 8 s or more after the one before ends
 * (18 s after the manager's restart: its first obtains may fail at random), the cut 12 s and the
 * outage 22 s (both longer than a 10 s token lives, so that tokens run out during them), ending
 * 15 s or more before the run does (the test's 2.2-minute run ends with 34 s to see the outage's
 * recovery: the manager retries at most 15 s apart once no tokens are left). Longer
 * runs repeat the full cycle (the outage 60 s, 40 s after it) as often as it fits; the rest of the
 * run is quiet.
 */
final class Schedule {

    static final long FULL_CYCLE_MS = 210_000;

    /** One planned fault; {@code lengthMs} is the pause before a restart, the cut or the outage. */
    record Step(long offsetMs, Kind kind, long lengthMs) {
    }

    private Schedule() {
    }

    static List<Step> plan(Duration run, Duration tokenLifetime) {
        long runMs = run.toMillis();
        long managerPause = tokenLifetime.toMillis() + 2_000; // longer than a token lives
        List<Step> steps = new ArrayList<>();
        if (runMs < FULL_CYCLE_MS) {
            List<Step> cycle = List.of(new Step(8_000, Kind.PLUGIN_UPDATE, 0), new Step(16_000, Kind.WORKER_KILL, 2_000),
                    new Step(26_000, Kind.WORKER_CUT, 12_000), new Step(46_000, Kind.MANAGER_KILL, managerPause),
                    new Step(76_000, Kind.PROVIDER_OUTAGE, 22_000));
            for (Step step : cycle) {
                if (step.offsetMs() + step.lengthMs() + 15_000 <= runMs) {
                    steps.add(step);
                }
            }
            return steps;
        }
        for (long cycle = 0; (cycle + 1) * FULL_CYCLE_MS <= runMs; cycle++) {
            long base = cycle * FULL_CYCLE_MS;
            steps.add(new Step(base + 10_000, Kind.PLUGIN_UPDATE, 0));
            steps.add(new Step(base + 25_000, Kind.WORKER_KILL, 2_000));
            steps.add(new Step(base + 45_000, Kind.WORKER_CUT, 20_000));
            steps.add(new Step(base + 75_000, Kind.MANAGER_KILL, managerPause));
            steps.add(new Step(base + 110_000, Kind.PROVIDER_OUTAGE, 60_000));
        }
        return steps;
    }
}
