package io.tokenhost.host.plugins;

import io.tokenhost.host.core.Errors;
import java.util.List;

/**
 * Turns the failure Felix SCR records for a component that failed to activate (a stack trace as
 * text) into one line naming its root cause: the innermost {@code Caused by:} of the chain, type
 * and message, and the exception that wrapped it. {@code InvocationTargetException} alone tells an
 * operator nothing; the {@code NoClassDefFoundError: kotlin/...} inside it does.
 */
final class ActivationFailure {

    /** Bound of the line shown: enough for a class name and a path, not a screenful. */
    static final int MAX_LENGTH = 400;
    private static final String CAUSED_BY = "Caused by: ";

    private ActivationFailure() {
    }

    static String describe(String failure) {
        if (failure == null || failure.isBlank()) {
            return "(no reason given)";
        }
        List<String> lines = failure.strip().lines().toList();
        String first = lines.get(0).strip();
        String root = first;
        for (String line : lines) {
            // Only the chain itself: a "Caused by:" of a suppressed exception is indented.
            if (line.startsWith(CAUSED_BY)) {
                root = line.substring(CAUSED_BY.length()).strip();
            }
        }
        String text = root.equals(first) ? root : root + " (wrapped in " + typeOf(first) + ")";
        return Errors.oneLine(text, MAX_LENGTH);
    }

    /** The exception type at the start of a stack trace's line ({@code type: message} or {@code type}). */
    private static String typeOf(String line) {
        int colon = line.indexOf(':');
        return (colon < 0 ? line : line.substring(0, colon)).strip();
    }
}
