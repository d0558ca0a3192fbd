package io.tokenhost.remote.access;

import java.util.regex.Pattern;

/**
 * A pattern over worker ids: the id characters {@code [A-Za-z0-9._-]} stand for themselves,
 * {@code *} for any run of them (also none) and {@code ?} for exactly one. Nothing else is allowed,
 * so that a pattern cannot mean more than it shows (no character classes, no alternatives).
 *
 * @param text the pattern as configured
 */
public record WorkerGlob(String text, Pattern regex) {

    /** The rule in words, for refusals. */
    public static final String RULE = "1-128 of [A-Za-z0-9._-] and the wildcards * (any run) and ? (one character)";
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._\\-*?]{1,128}");

    /** @throws IllegalArgumentException naming the pattern and {@link #RULE} */
    public static WorkerGlob parse(String text) {
        if (text == null || !ALLOWED.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + shown(text) + "' is not a worker-id pattern (" + RULE + ")");
        }
        StringBuilder regex = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '*' -> regex.append("[A-Za-z0-9._-]*");
                case '?' -> regex.append("[A-Za-z0-9._-]");
                case '.' -> regex.append("\\.");
                case '-' -> regex.append("\\-");
                default -> regex.append(c);
            }
        }
        return new WorkerGlob(text, Pattern.compile(regex.toString()));
    }

    public boolean matches(String workerId) {
        return regex.matcher(workerId).matches();
    }

    private static String shown(String text) {
        String flat = String.valueOf(text).replaceAll("\\p{Cntrl}", "?");
        return flat.length() > 60 ? flat.substring(0, 60) + "..." : flat;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WorkerGlob g && g.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
