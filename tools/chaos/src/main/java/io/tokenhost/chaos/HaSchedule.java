package io.tokenhost.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * When each fault of the HA soak starts, from the baseline, and how long it lasts. A run of 5
 * minutes or more kills the leader every minute from the first, restarts ZooKeeper once near 2/5 of
 * the run and cuts the leader from ZooKeeper once near 3/4 of it, each half-way between two kills. A shorter run
 * (the test's) gets each fault once, 20 s apart from 15 s on (a failover takes 6-9 s here). Every
 * fault ends 20 s or more before the run does, so its failover is seen.
 */
final class HaSchedule {

    enum Kind {
        /** SIGKILL the current leader, restart it after the length. */
        LEADER_KILL,
        /** Kill the ZooKeeper server, restart it after the length. */
        ZOOKEEPER_RESTART,
        /** Stop the leader's relay to ZooKeeper for the length; it keeps its worker connections. */
        LEADER_CUT
    }

    record Step(long offsetMs, Kind kind, long lengthMs) {
    }

    static final long LONG_RUN_MS = 300_000;
    static final long RESTART_PAUSE_MS = 5_000;
    static final long CUT_MS = 15_000;
    private static final long TAIL_MS = 20_000;

    private HaSchedule() {
    }

    static List<Step> plan(Duration run) {
        long runMs = run.toMillis();
        List<Step> steps = new ArrayList<>();
        if (runMs < LONG_RUN_MS) {
            steps.add(new Step(15_000, Kind.LEADER_KILL, RESTART_PAUSE_MS));
            steps.add(new Step(35_000, Kind.ZOOKEEPER_RESTART, RESTART_PAUSE_MS));
            steps.add(new Step(55_000, Kind.LEADER_CUT, CUT_MS));
        } else {
            for (long at = 60_000; at < runMs; at += 60_000) {
                steps.add(new Step(at, Kind.LEADER_KILL, RESTART_PAUSE_MS));
            }
            steps.add(new Step(halfWayBetweenKills(runMs * 2 / 5), Kind.ZOOKEEPER_RESTART, RESTART_PAUSE_MS));
            steps.add(new Step(halfWayBetweenKills(runMs * 3 / 4), Kind.LEADER_CUT, CUT_MS));
        }
        return steps.stream().filter(s -> s.offsetMs() + s.lengthMs() + TAIL_MS <= runMs)
                .sorted(Comparator.comparingLong(Step::offsetMs)).toList();
    }

    /** The half minute after {@code ms} rounded down to a minute: between two leader kills. */
    private static long halfWayBetweenKills(long ms) {
        return ms / 60_000 * 60_000 + 30_000;
    }
}
