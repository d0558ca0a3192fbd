package io.tokenhost.api;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Typed, checked reading of one configuration. The keys and their defaults are declared once, by a
 * Declarative Services component property type (an annotation whose element names map to keys as
 * DS maps them: {@code renewal_time$_$ratio} is {@code renewal.time-ratio}); put OSGi Metatype's
 * {@code @ObjectClassDefinition} and {@code @AttributeDefinition} on the same annotation for
 * descriptions. Declare every element as {@code String} (DS silently turns a malformed number into
 * 0; this class refuses it instead, naming the key and the rule).
 *
 * <p>Reading a key the annotation does not declare is a programming error
 * ({@link IllegalStateException}); a bad value throws {@link ConfigurationRefusedException}.
 *
 * @since 1.2
 */
public final class ConfigValues {

    /** The longest duration any key accepts. */
    public static final Duration MAX_DURATION = Duration.ofDays(365);

    private final Map<String, ?> properties;
    private final Map<String, String> defaults;

    private ConfigValues(Map<String, ?> properties, Map<String, String> defaults) {
        this.properties = properties;
        this.defaults = defaults;
    }

    /** The properties as ConfigAdmin or DS hands them over, read against the declaring annotation. */
    public static ConfigValues of(Map<String, ?> properties, Class<? extends Annotation> declaration) {
        return new ConfigValues(Map.copyOf(withoutNulls(properties)), declared(declaration));
    }

    /** Every key the annotation declares, sorted, with its default ("" for none). */
    public static Map<String, String> declared(Class<? extends Annotation> declaration) {
        String prefix = prefix(declaration);
        Map<String, String> keys = new LinkedHashMap<>();
        for (Method method : declaration.getDeclaredMethods()) {
            Object value = method.getDefaultValue();
            keys.put(prefix + key(method.getName()), value == null ? "" : String.valueOf(value));
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(keys)));
    }

    /** The trimmed value, or the declared default; empty when both are blank. */
    public Optional<String> text(String key) {
        String fallback = declaredDefault(key);
        Object value = properties.get(key);
        String text = value == null ? fallback : String.valueOf(value).trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /**
     * The trimmed value the configuration itself gives, declared or not; empty when absent or blank.
     * For keys outside the declaration (an alias, a member of a family) and for rules that depend on
     * whether a key was set at all rather than left to its default.
     */
    public Optional<String> given(String key) {
        Object value = properties.get(key);
        String text = value == null ? "" : String.valueOf(value).trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** A value that must be set. */
    public String required(String key) {
        return text(key).orElseThrow(() -> new ConfigurationRefusedException(key, "must be set", null));
    }

    /** A secret value: never repeated in any message. */
    public Optional<String> secret(String key) {
        return text(key);
    }

    public boolean bool(String key) {
        String text = text(key).orElse("").toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw refused(key, "must be true or false");
    }

    /** A service name ({@link ServiceNames}), e.g. the one a provider or receiver serves. */
    public String serviceName(String key) {
        String text = required(key);
        if (!ServiceNames.isValid(text)) {
            throw refused(key, "must be a service name (" + ServiceNames.RULE + ")");
        }
        return text;
    }

    /** A duration in the one syntax ({@link Durations}), more than 0 and at most 365 days. */
    public Duration duration(String key) {
        return duration(key, Duration.ofMillis(1), MAX_DURATION);
    }

    /** A duration in the one syntax, from {@code min} to {@code max} inclusive. */
    public Duration duration(String key, Duration min, Duration max) {
        String text = required(key);
        Duration value;
        try {
            value = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw refused(key, "must be " + Durations.SYNTAX);
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw refused(key, "must be " + range(min, max));
        }
        return value;
    }

    /** A number in (0, 1), or in [0, 1) when zero is allowed. */
    public double fraction(String key, boolean zeroAllowed) {
        String rule = zeroAllowed ? "must be a number from 0 (inclusive) to 1 (exclusive)"
                : "must be a number strictly between 0 and 1";
        double value;
        try {
            value = Double.parseDouble(required(key));
        } catch (NumberFormatException e) {
            throw refused(key, rule);
        }
        if (!((zeroAllowed ? value >= 0 : value > 0) && value < 1)) {
            throw refused(key, rule);
        }
        return value;
    }

    /** A whole number from {@code min} to {@code max} inclusive. */
    public int integer(String key, int min, int max) {
        String rule = "must be a whole number from " + min + " to " + max;
        try {
            int value = Integer.parseInt(required(key));
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw refused(key, rule);
    }

    /** One of the given words (case-insensitive), returned in lower case. */
    public String oneOf(String key, Set<String> allowed) {
        String text = required(key).toLowerCase(Locale.ROOT);
        if (!allowed.contains(text)) {
            throw refused(key, "must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
        }
        return text;
    }

    /** Keys that start with a prefix (for open-ended families such as {@code hadoop.*}), with their values. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> found = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                found.put(key, String.valueOf(value).trim());
            }
        });
        return found;
    }

    /**
     * Keys that are neither declared, nor accepted by {@code alsoKnown}, nor added by the framework
     * (ConfigAdmin, DS, FileInstall): almost always typos, worth a warning.
     */
    public List<String> unknownKeys(Predicate<String> alsoKnown) {
        List<String> unknown = new ArrayList<>();
        for (String key : new TreeMap<>(properties).keySet()) {
            if (!defaults.containsKey(key) && !alsoKnown.test(key) && !isFrameworkKey(key)) {
                unknown.add(key);
            }
        }
        return unknown;
    }

    /** The name of a factory configuration: after {@code ~} in its PID, else NAME of FileInstall's {@code <factoryPid>-NAME.cfg}. */
    public Optional<String> factoryName(String factoryPid) {
        Object pid = properties.get("service.pid");
        if (pid != null && pid.toString().startsWith(factoryPid + "~")) {
            return Optional.of(pid.toString().substring(factoryPid.length() + 1));
        }
        Object file = properties.get("felix.fileinstall.filename");
        if (file != null) {
            String name = file.toString().substring(file.toString().lastIndexOf('/') + 1);
            String prefix = factoryPid + "-";
            if (name.startsWith(prefix) && name.endsWith(".cfg")) {
                return Optional.of(name.substring(prefix.length(), name.length() - ".cfg".length()));
            }
        }
        return Optional.empty();
    }

    /** A refusal naming the key and the rule, repeating the value unless the key is read as a secret. */
    public ConfigurationRefusedException refused(String key, String rule) {
        return new ConfigurationRefusedException(key, rule, text(key).orElse(null));
    }

    private String declaredDefault(String key) {
        String value = defaults.get(key);
        if (value == null) {
            throw new IllegalStateException("configuration key '" + key + "' is not declared by the component property type");
        }
        return value.trim();
    }

    private static String range(Duration min, Duration max) {
        return min.equals(Duration.ofMillis(1)) ? "more than 0 and at most " + Durations.format(max)
                : "from " + Durations.format(min) + " to " + Durations.format(max);
    }

    static boolean isFrameworkKey(String key) {
        return key.startsWith("service.") || key.startsWith("component.") || key.startsWith("felix.")
                || key.startsWith("osgi.") || key.startsWith(".");
    }

    /**
     * DS 1.4 (112.8.2.2): {@code $$} is {@code $}, {@code $_$} is {@code -}, a lone {@code $} is
     * dropped, {@code __} is {@code _}, a lone {@code _} is {@code .}.
     */
    static String key(String element) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < element.length(); i++) {
            char c = element.charAt(i);
            if (element.startsWith("$$", i)) {
                key.append('$');
                i++;
            } else if (element.startsWith("$_$", i)) {
                key.append('-');
                i += 2;
            } else if (c == '$') {
                continue;
            } else if (element.startsWith("__", i)) {
                key.append('_');
                i++;
            } else if (c == '_') {
                key.append('.');
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    private static String prefix(Class<? extends Annotation> declaration) {
        try {
            Field field = declaration.getField("PREFIX_");
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                return (String) field.get(null);
            }
        } catch (NoSuchFieldException | IllegalAccessException e) {
            // no prefix
        }
        return "";
    }

    private static Map<String, ?> withoutNulls(Map<String, ?> properties) {
        Map<String, Object> copy = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            if (key != null && value != null) {
                copy.put(key, value);
            }
        });
        return copy;
    }
}
