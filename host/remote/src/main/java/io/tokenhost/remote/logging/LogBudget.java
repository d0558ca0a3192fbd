package io.tokenhost.remote.logging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * At most {@code perMinute} log lines a minute for one kind of event, so that a client that keeps
 * knocking cannot flood the log; the next line that is logged says how many were left out.
 */
public final class LogBudget {

    private final int perMinute;
    private final Clock clock;
    private Instant windowStart = Instant.EPOCH;
    private int inWindow;
    private int suppressed;

    public LogBudget(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** -1: do not log this one; otherwise log it and mention this many left out before it (if any). */
    public synchronized int take() {
        Instant now = clock.instant();
        if (Duration.between(windowStart, now).compareTo(Duration.ofMinutes(1)) >= 0) {
            windowStart = now;
            inWindow = 0;
        }
        if (++inWindow > perMinute) {
            suppressed++;
            return -1;
        }
        int dropped = suppressed;
        suppressed = 0;
        return dropped;
    }

    public static String leftOut(int dropped) {
        return dropped > 0 ? " (" + dropped + " more not logged)" : "";
    }
}
