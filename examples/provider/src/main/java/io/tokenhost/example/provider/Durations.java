package io.tokenhost.example.provider;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations written as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601 {@code PT1H}. */
final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,12})(ms|s|m|h)");

    private Durations() {
    }

    /**
     * @param key the configuration key, named in the error message
     * @throws IllegalArgumentException for a malformed, zero or negative duration
     */
    static Duration parse(String key, String value) {
        Duration duration = parseOrNull(value == null ? "" : value.trim());
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(key + ": '" + value
                    + "' is not a positive duration; use e.g. 500ms, 30s, 5m, 1h or PT1H");
        }
        return duration;
    }

    private static Duration parseOrNull(String value) {
        Matcher m = SHORT.matcher(value);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
