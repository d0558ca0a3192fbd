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
        String line = text.toString().replaceAll("\\p{Cntrl}", " ");
        return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 3) + "...";
    }

    private static String label(Throwable error) {
        String message = error.getMessage();
        String type = error.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }
}
