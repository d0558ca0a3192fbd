package io.tokenhost.api;

import java.util.regex.Pattern;

/**
 * The rule for service names: 1 to 128 characters, letters, digits, {@code . _ -}, starting with a
 * letter or digit. Names are plain so that they are safe in file names, shell output and logs.
 */
public final class ServiceNames {

    public static final int MAX_LENGTH = 128;

    /**
     * The rule in words, for messages.
     *
     * @since 1.2
     */
    public static final String RULE = "1-" + MAX_LENGTH + " of [A-Za-z0-9._-], starting with a letter or digit";

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private ServiceNames() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /**
     * Returns the name if valid.
     *
     * @throws IllegalArgumentException naming the rule it breaks
     */
    public static String validate(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("invalid service name " + describe(name) + ": use " + RULE);
        }
        return name;
    }

    private static String describe(String name) {
        if (name == null) {
            return "null";
        }
        String shown = name.length() > 40 ? name.substring(0, 40) + "..." : name;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
