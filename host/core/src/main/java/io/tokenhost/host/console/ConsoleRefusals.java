package io.tokenhost.host.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the connections the console turned away (busy: every slot taken; idle: no request within
 * the deadline) and logs them at most {@value #LINES_PER_MINUTE} lines a minute, each line saying how
 * many went unlogged before it. The counts are shown by {@code token:status}.
 */
final class ConsoleRefusals {

    static final int LINES_PER_MINUTE = 10;
    static final String BUSY = "console.busy";
    static final String IDLE = "console.idle-closed";

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleRefusals.class);

    private final AtomicLong busy = new AtomicLong();
    private final AtomicLong idle = new AtomicLong();
    private final Clock clock;
    private Instant window = Instant.EPOCH;
    private int logged;
    private int unlogged;

    ConsoleRefusals(Clock clock) {
        this.clock = clock;
    }

    void busy(int slots) {
        busy.incrementAndGet();
        log("console: refused a connection, all {} slots busy ({} refused busy so far){}", slots, busy.get());
    }

    void idle(Duration deadline) {
        idle.incrementAndGet();
        log("console: closed a connection that sent no request within {} ({} closed idle so far){}",
                deadline.toMillis() + " ms", idle.get());
    }

    /** Counter name to count, in a fixed order. */
    Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put(BUSY, busy.get());
        counts.put(IDLE, idle.get());
        return counts;
    }

    private void log(String format, Object first, Object second) {
        int left;
        synchronized (this) {
            Instant now = clock.instant();
            if (Duration.between(window, now).compareTo(Duration.ofMinutes(1)) >= 0) {
                window = now;
                logged = 0;
            }
            if (++logged > LINES_PER_MINUTE) {
                unlogged++;
                return;
            }
            left = unlogged;
            unlogged = 0;
        }
        LOG.warn(format, first, second, left > 0 ? " (" + left + " more refusals not logged)" : "");
    }
}
