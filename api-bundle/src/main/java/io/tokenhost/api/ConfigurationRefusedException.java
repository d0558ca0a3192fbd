package io.tokenhost.api;

/**
 * A configuration value that breaks its rule. The message names the key and the rule, and repeats
 * the value only where it is not secret (control characters replaced, at most 60 characters).
 *
 * @since 1.2
 */
public class ConfigurationRefusedException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key the configuration key
     * @param rule what is allowed, completing "must be …" or "must …", e.g. "a number from 0 to 1"
     * @param shownValue the value to repeat, or {@code null} to repeat none (secrets, absent values)
     */
    public ConfigurationRefusedException(String key, String rule, String shownValue) {
        super(key + ": " + rule + (shownValue == null ? "" : ", got '" + shown(shownValue) + "'"));
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** A value safe to repeat in a message: control characters replaced, cut at 60 characters. */
    public static String shown(Object value) {
        String text = String.valueOf(value).replaceAll("\\p{Cntrl}", "?");
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
