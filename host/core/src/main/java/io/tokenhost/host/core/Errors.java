package io.tokenhost.host.core;

import io.tokenhost.host.common.MessageSanitiser;

/**
 * Turns a failure into one line for operators: exception type and message, with the root cause,
 * sanitised by {@link MessageSanitiser} (credentials masked, control characters removed, length
 * bounded). Plugins must keep secrets out of their messages; this catches what libraries put there
 * and keeps a message from forging log lines or flooding a shell.
 */
public final class Errors {

    /** Room for a message naming two deep paths (a keytab below a 250-character directory, say). */
    static final int MAX_LENGTH = MessageSanitiser.MAX_LENGTH;

    private Errors() {
    }

    public static String describe(Throwable error) {
        StringBuilder text = new StringBuilder(label(error));
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != error) {
            text.append(" (caused by ").append(label(root)).append(')');
        }
        return oneLine(text.toString(), MAX_LENGTH);
    }

    /**
     * A failure's text as operators see it, for failures known only as text (the failure Felix SCR
     * records for a component): sanitised, at most {@code maxLength} characters.
     */
    public static String oneLine(String text, int maxLength) {
        return MessageSanitiser.sanitise(text, maxLength);
    }

    private static String label(Throwable error) {
        String message = error.getMessage();
        String type = error.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }
}
