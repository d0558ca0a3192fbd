package io.tokenhost.host.shell;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** How instants appear in shell output: UTC to the second, with a relative hint. */
final class Display {

    private Display() {
    }

    static String time(Optional<Instant> instant, Instant now) {
        return instant.map(i -> time(i, now)).orElse("-");
    }

    static String time(Instant instant, Instant now) {
        Duration delta = Duration.between(now, instant);
        if (delta.abs().getSeconds() == 0) {
            return instant.truncatedTo(ChronoUnit.SECONDS) + " (now)";
        }
        String relative = delta.isNegative() ? compact(delta.negated()) + " ago" : "in " + compact(delta);
        return instant.truncatedTo(ChronoUnit.SECONDS) + " (" + relative + ")";
    }

    private static String compact(Duration d) {
        long s = d.getSeconds();
        if (s < 60) {
            return s + "s";
        } else if (s < 3600) {
            return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
        } else if (s < 86_400) {
            return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
        }
        return s / 86_400 + "d" + (s % 86_400 / 3600 == 0 ? "" : s % 86_400 / 3600 + "h");
    }

    /** Counters as {@code name count, name count}, in their order. */
    static String counts(java.util.Map<String, Long> counts) {
        StringBuilder out = new StringBuilder();
        counts.forEach((name, count) -> out.append(out.length() == 0 ? "" : ", ").append(name).append(' ').append(count));
        return out.toString();
    }
}
