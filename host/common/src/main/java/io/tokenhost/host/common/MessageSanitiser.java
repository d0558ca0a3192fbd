package io.tokenhost.host.common;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a message from a plugin or a library fit to show an operator (shell output, status lines,
 * logs): anything that looks like a credential masked, control characters (terminal escapes,
 * newlines that would forge log lines) removed, the length bounded.
 *
 * <p>Masked, with {@value #MASK}:
 * <ul>
 *   <li>the value of a pair whose name holds the word {@code secret}, {@code password}, {@code passwd},
 *       {@code pwd} or {@code passphrase}, or ends with {@code token}, {@code key}, {@code credential(s)},
 *       {@code content}, {@code signature} or {@code cookie} (also before a last {@code id}): e.g.
 *       {@code secret-key}, {@code sessionToken}, {@code aws_access_key_id}, not {@code token.lifetime}
 *       nor {@code credentials-file} nor any {@code <name>.file} — written {@code name=value}, {@code name: value} or as JSON
 *       {@code "name":"value"}; a name followed by a colon without a space ({@code token:status}) is
 *       not a pair;</li>
 *   <li>{@code Authorization} and {@code Proxy-Authorization} header values, to the end of the line;</li>
 *   <li>runs of 32 or more hexadecimal digits, and runs of 32 or more base64 characters with a
 *       digit and both letter cases (session tokens, secret keys, token identifiers).</li>
 * </ul>
 * A plugin must still keep secrets out of its messages; this catches what libraries put there
 * (OkHttp's {@code EOFException} carries {@code content=<hex of the response>}).
 */
public final class MessageSanitiser {

    /** Room for a message naming two deep paths (a keytab below a 250-character directory, say). */
    public static final int MAX_LENGTH = 1000;
    public static final String MASK = "***";

    /** Longer input is cut before masking, so that a huge message costs little. */
    private static final int MAX_INPUT = 64 * 1024;
    private static final Pattern ESCAPE_SEQUENCE = Pattern.compile(
            "\u001B(?:\\[[0-?]*[ -/]*[@-~]|\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?|[@-Z\\\\-_])");
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)([\"']?\\b(?:proxy-)?authorization[\"']?\\s*[:=]\\s*[\"']?)[^\\r\\n\"']+");
    private static final Pattern PAIR = Pattern.compile(
            "([\"']?)\\b([A-Za-z][A-Za-z0-9_.-]{0,80})\\1(\\s*=\\s*|\\s*:\\s+|(?<=[\"']):\\s*)"
                    + "(\"[^\"\\r\\n]*\"?|'[^'\\r\\n]*'?|[^\\s,;&)}\\]\"']+)");
    /** Words that make a name secret wherever they stand in it. */
    private static final Set<String> SECRET_ANYWHERE = Set.of("secret", "password", "passwd", "pwd", "passphrase");
    /** Words that make a name secret as its last word (or the one before a last {@code id}). */
    private static final Set<String> SECRET_LAST = Set.of("token", "key", "apikey", "credential", "credentials",
            "content", "signature", "cookie", "secret");
    private static final Pattern LONG_RUN = Pattern.compile("(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,}={0,2}");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\p{Zl}\\p{Zp}\u200E\u200F\u202A-\u202E\u2066-\u2069]+");

    private MessageSanitiser() {
    }

    /** The message sanitised and bounded to {@link #MAX_LENGTH} characters; "" for null. */
    public static String sanitise(String message) {
        return sanitise(message, MAX_LENGTH);
    }

    /** The message sanitised and bounded to {@code maxLength} characters (at least 3); "" for null. */
    public static String sanitise(String message, int maxLength) {
        if (message == null) {
            return "";
        }
        String text = message.length() > MAX_INPUT ? message.substring(0, MAX_INPUT) : message;
        text = ESCAPE_SEQUENCE.matcher(text).replaceAll("");
        text = maskCredentials(text);
        text = CONTROL.matcher(text).replaceAll(" ").strip();
        return text.length() <= maxLength ? text : text.substring(0, Math.max(0, maxLength - 3)) + "...";
    }

    /** Masks what looks like a credential; keeps everything else, line breaks included. */
    public static String maskCredentials(String text) {
        String masked = AUTHORIZATION.matcher(text).replaceAll("$1" + MASK);
        masked = maskPairs(masked);
        return maskLongRuns(masked);
    }

    private static String maskPairs(String text) {
        Matcher m = PAIR.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String name = m.group(2);
            String value = m.group(4);
            if (!isSecretName(name) || value.equals(MASK)) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                continue;
            }
            String quote = value.startsWith("\"") ? "\"" : value.startsWith("'") ? "'" : "";
            String closing = !quote.isEmpty() && value.length() > 1 && value.endsWith(quote) ? quote : "";
            m.appendReplacement(out, Matcher.quoteReplacement(
                    m.group(1) + name + m.group(1) + m.group(3) + quote + MASK + closing));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Whether a key or field named so holds a secret by its words (see the class comment). */
    public static boolean isSecretName(String name) {
        if (name.toLowerCase(Locale.ROOT).endsWith(".file") || name.isEmpty()) {
            return false; // <key>.file names a file, it does not hold the secret
        }
        List<String> words = List.of(name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT)
                .split("[_.-]+"));
        if (words.stream().anyMatch(SECRET_ANYWHERE::contains)) {
            return true;
        }
        int last = words.size() - 1;
        return SECRET_LAST.contains(words.get(last))
                || last > 0 && words.get(last).equals("id") && SECRET_LAST.contains(words.get(last - 1));
    }

    private static String maskLongRuns(String text) {
        Matcher m = LONG_RUN.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(looksSecret(m.group()) ? MASK : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean looksSecret(String run) {
        if (run.startsWith("/")) {
            return false; // a path
        }
        String body = run.replace("=", "");
        if (body.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return true;
        }
        boolean digit = body.chars().anyMatch(Character::isDigit);
        boolean upper = body.chars().anyMatch(c -> c >= 'A' && c <= 'Z');
        boolean lower = body.chars().anyMatch(c -> c >= 'a' && c <= 'z');
        return digit && upper && lower;
    }
}
