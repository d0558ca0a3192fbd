package io.tokenhost.host.config;

import io.tokenhost.api.ServiceNames;
import io.tokenhost.host.core.ManagerSettings;
import io.tokenhost.host.core.RenewalSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the manager's configuration (PID {@value #PID}) into {@link ManagerSettings}. Every key,
 * its default and its rule are listed in {@link #KEYS} (and in the README). A bad value refuses the
 * whole configuration with a message naming the key; unknown keys are reported as warnings, since
 * a typo would otherwise go unnoticed.
 */
public final class ManagerConfig {

    public static final String PID = "io.tokenhost.manager";

    /** Key → documented default. */
    public static final Map<String, String> KEYS = documentedKeys();

    private static final String PROVIDER_PREFIX = "provider.";
    private static final String PROVIDER_SUFFIX = ".enabled";
    private static final Duration MAX_DURATION = Duration.ofDays(365);

    private final Map<String, Object> values;
    private final List<String> warnings = new ArrayList<>();

    private ManagerConfig(Map<String, Object> values) {
        this.values = values;
    }

    /** The settings for these properties, as ConfigAdmin or DS hands them over. */
    public static Parsed parse(Map<String, ?> properties) throws ConfigException {
        ManagerConfig config = new ManagerConfig(new HashMap<>(properties));
        ManagerSettings settings = config.settings();
        return new Parsed(settings, List.copyOf(config.warnings));
    }

    public static Parsed parse(Dictionary<String, ?> properties) throws ConfigException {
        Map<String, Object> map = new HashMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            map.put(key, properties.get(key));
        }
        return parse(map);
    }

    private ManagerSettings settings() throws ConfigException {
        Map<String, Boolean> providerEnabled = new HashMap<>();
        for (String key : values.keySet()) {
            if (key.startsWith(PROVIDER_PREFIX) && key.endsWith(PROVIDER_SUFFIX)
                    && key.length() > PROVIDER_PREFIX.length() + PROVIDER_SUFFIX.length()) {
                String service = key.substring(PROVIDER_PREFIX.length(), key.length() - PROVIDER_SUFFIX.length());
                if (!ServiceNames.isValid(service)) {
                    throw new ConfigException(key + ": '" + service + "' is not a valid service name");
                }
                providerEnabled.put(service, bool(key, true));
            } else if (!KEYS.containsKey(key) && !isFrameworkKey(key)) {
                warnings.add("unknown key '" + key + "' is ignored; known keys: " + String.join(", ", KEYS.keySet())
                        + ", provider.<service>.enabled");
            }
        }
        Duration backoff = duration("renewal.retry.backoff");
        Duration backoffMax = duration("renewal.retry.backoff.max");
        if (backoffMax.compareTo(backoff) < 0) {
            throw new ConfigException("renewal.retry.backoff.max: must be at least renewal.retry.backoff ("
                    + Durations.format(backoff) + "), got " + Durations.format(backoffMax));
        }
        RenewalSettings renewal = new RenewalSettings(
                fraction("renewal.time-ratio", false),
                backoff,
                backoffMax,
                fraction("renewal.retry.jitter", true),
                duration("renewal.fallback-period"),
                duration("obtain.timeout"),
                duration("renewal.min-interval"));
        return new ManagerSettings(bool("enabled", true), providerEnabled, renewal);
    }

    private boolean bool(String key, boolean defaultValue) throws ConfigException {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new ConfigException(key + ": must be true or false, got '" + shown(value) + "'");
    }

    /** A number in (0, 1), or [0, 1) when zero is allowed. */
    private double fraction(String key, boolean zeroAllowed) throws ConfigException {
        String text = text(key);
        String rule = zeroAllowed ? "a number from 0 (inclusive) to 1 (exclusive)" : "a number strictly between 0 and 1";
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": must be " + rule + ", got '" + shown(text) + "'");
        }
        boolean ok = (zeroAllowed ? value >= 0 : value > 0) && value < 1;
        if (!ok) {
            throw new ConfigException(key + ": must be " + rule + ", got '" + shown(text) + "'");
        }
        return value;
    }

    private Duration duration(String key) throws ConfigException {
        String text = text(key);
        Duration value;
        try {
            value = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": must be a duration such as 500ms, 30s, 5m, 1h, 2d or PT30S, got '"
                    + shown(text) + "'");
        }
        if (value.isZero() || value.isNegative() || value.compareTo(MAX_DURATION) > 0) {
            throw new ConfigException(key + ": must be more than 0 and at most 365d, got '" + shown(text) + "'");
        }
        return value;
    }

    private String text(String key) {
        Object value = values.get(key);
        return value == null ? KEYS.get(key) : value.toString().trim();
    }

    /** Keys that ConfigAdmin, DS or FileInstall add to every configuration. */
    private static boolean isFrameworkKey(String key) {
        return key.startsWith("service.") || key.startsWith("component.") || key.startsWith("felix.")
                || key.startsWith("osgi.") || key.startsWith(".");
    }

    private static String shown(Object value) {
        String text = String.valueOf(value).replaceAll("\\p{Cntrl}", "?");
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    private static Map<String, String> documentedKeys() {
        RenewalSettings d = RenewalSettings.DEFAULTS;
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("enabled", "true");
        keys.put("renewal.time-ratio", String.valueOf(d.timeRatio()));
        keys.put("renewal.retry.backoff", Durations.format(d.retryBackoff()));
        keys.put("renewal.retry.backoff.max", Durations.format(d.retryBackoffMax()));
        keys.put("renewal.retry.jitter", String.valueOf(d.retryJitter()));
        keys.put("renewal.fallback-period", Durations.format(d.fallbackPeriod()));
        keys.put("renewal.min-interval", Durations.format(d.minInterval()));
        keys.put("obtain.timeout", Durations.format(d.obtainTimeout()));
        return java.util.Collections.unmodifiableMap(keys);
    }

    /** Accepted settings, with warnings about keys that were ignored. */
    public record Parsed(ManagerSettings settings, List<String> warnings) {
    }
}
