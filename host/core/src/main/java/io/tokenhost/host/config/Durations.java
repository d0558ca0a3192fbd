package io.tokenhost.host.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as operators write them: {@code 500ms}, {@code 30s}, {@code 30 s}, {@code 5m},
 * {@code 1h}, {@code 2d} (Flink's style), or ISO-8601 such as {@code PT30S}.
 */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|min|h|d)");

    private Durations() {
    }

    /** @throws IllegalArgumentException if the text is none of the accepted forms */
    public static Duration parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(trimmed);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m", "min" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration");
        }
    }

    /** Short form for display: {@code 30s}, {@code 10m}, {@code 1h}, {@code 1500ms}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 86_400_000 == 0 && millis > 0) {
            return millis / 86_400_000 + "d";
        } else if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        } else if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        } else if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
