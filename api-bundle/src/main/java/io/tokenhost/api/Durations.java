package io.tokenhost.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of every Tokenhost configuration: {@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 1h}, {@code 2d} (a space before the unit is allowed), or ISO-8601 such as {@code PT30S}.
 *
 * @since 1.2
 */
public final class Durations {

    /** The rule as configuration errors state it. */
    public static final String SYNTAX = "a duration such as 500ms, 30s, 5m, 1h, 2d or PT30S";

    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /** @throws IllegalArgumentException if the text is none of the accepted forms */
    public static Duration parse(String text) {
        String trimmed = text.trim();
        Matcher m = SIMPLE.matcher(trimmed.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(trimmed);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not " + SYNTAX);
        }
    }

    /** The shortest exact form for display: {@code 30s}, {@code 10m}, {@code 1h}, {@code 1500ms}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis != 0) {
            if (millis % 86_400_000 == 0) {
                return millis / 86_400_000 + "d";
            } else if (millis % 3_600_000 == 0) {
                return millis / 3_600_000 + "h";
            } else if (millis % 60_000 == 0) {
                return millis / 60_000 + "m";
            }
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
