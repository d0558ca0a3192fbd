package io.tokenhost.remote.osgi;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** How the remote commands show a past instant: UTC to the second, and how long ago. */
final class RelativeTime {

    private RelativeTime() {
    }

    /** "2026-01-01T00:00:00Z (5s ago)". */
    static String ago(Instant then, Instant now) {
        long seconds = Math.max(0, Duration.between(then, now).toSeconds());
        return then.truncatedTo(ChronoUnit.SECONDS) + " (" + seconds + "s ago)";
    }
}
