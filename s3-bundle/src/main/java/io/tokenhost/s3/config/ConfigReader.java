package io.tokenhost.s3.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed access to one configuration dictionary. Every error names the key; values of secret keys
 * are never repeated in messages.
 */
public final class ConfigReader {

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

    private final Map<String, ?> properties;

    public ConfigReader(Map<String, ?> properties) {
        this.properties = properties;
    }

    /** The trimmed value, empty when absent or blank. */
    public Optional<String> text(String key) {
        Object value = properties.get(key);
        if (value == null) {
            return Optional.empty();
        }
        String text = String.valueOf(value).trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    public String text(String key, String defaultValue) {
        return text(key).orElse(defaultValue);
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h}, {@code 2d} or ISO-8601 {@code PT1H}. */
    public Duration duration(String key, Duration defaultValue) {
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        String value = text.get();
        Matcher m = SIMPLE_DURATION.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + ": must be a duration such as 900s, 15m, 1h or PT1H, got '"
                    + shown(value) + "'");
        }
    }

    /** A value safe to repeat in an error message: control characters replaced, cut at 60. */
    public static String shown(String value) {
        String text = value.replaceAll("\\p{Cntrl}", "?");
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    /**
     * The name of a factory configuration: the part after {@code ~} in its PID (named factory
     * configurations), else {@code NAME} of a FileInstall file {@code <factoryPid>-NAME.cfg}.
     */
    public Optional<String> factoryName(String factoryPid) {
        Optional<String> pid = text("service.pid");
        if (pid.isPresent() && pid.get().startsWith(factoryPid + "~")) {
            return Optional.of(pid.get().substring(factoryPid.length() + 1));
        }
        Optional<String> file = text("felix.fileinstall.filename");
        if (file.isPresent()) {
            String name = file.get().substring(file.get().lastIndexOf('/') + 1);
            String prefix = factoryPid + "-";
            if (name.startsWith(prefix) && name.endsWith(".cfg")) {
                return Optional.of(name.substring(prefix.length(), name.length() - ".cfg".length()));
            }
        }
        return Optional.empty();
    }
}
