package io.tokenhost.host.core;

/**
 * Turns a failure into one line for operators: exception type and message, with the root cause,
 * control characters removed and the length bounded. Plugins must keep secrets out of their
 * messages; this at least keeps a message from forging log lines or flooding a shell.
 */
public final class Errors {

    /** Room for a message naming two deep paths (a keytab below a 250-character directory, say). */
    static final int MAX_LENGTH = 1000;

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
     * records for a component): control characters removed, at most {@code maxLength} characters.
     */
    public static String oneLine(String text, int maxLength) {
        String line = text.replaceAll("\\p{Cntrl}", " ");
        return line.length() <= maxLength ? line : line.substring(0, maxLength - 3) + "...";
    }

    private static String label(Throwable error) {
        String message = error.getMessage();
        String type = error.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }
}
