package io.tokenhost.itests.support;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one secret scanner of the tests: finds a secret (token bytes, a password, a key) in text or
 * bytes in every form the README promises never to show it in: raw, hex (either case) and base64
 * (standard and URL-safe, padded or not, and also where the secret sits inside a longer encoded run,
 * at any of the three byte alignments). A finding names the form, never the secret.
 */
public final class SecretForms {

    /** An encoded run shorter than this is too likely to occur by chance to count as the secret. */
    private static final int MIN_ENCODED_CHARS = 8;

    private SecretForms() {
    }

    /** Form name → text, for {@code secret}. Raw is the bytes one char each (ISO-8859-1). */
    public static Map<String, String> of(byte[] secret) {
        Map<String, String> forms = new LinkedHashMap<>();
        forms.put("raw", new String(secret, StandardCharsets.ISO_8859_1));
        forms.put("hex", HexFormat.of().formatHex(secret));
        forms.put("HEX", HexFormat.of().withUpperCase().formatHex(secret));
        for (int offset = 0; offset < 3 && offset < secret.length; offset++) {
            // the whole 3-byte groups from this offset: what any base64 run holding the secret contains
            int groups = (secret.length - offset) / 3;
            byte[] aligned = Arrays.copyOfRange(secret, offset, offset + 3 * groups);
            String standard = Base64.getEncoder().encodeToString(aligned);
            if (standard.length() >= MIN_ENCODED_CHARS) {
                forms.put("base64@" + offset, standard);
                forms.put("base64url@" + offset, Base64.getUrlEncoder().encodeToString(aligned));
            }
        }
        return forms;
    }

    public static Map<String, String> of(String secret) {
        return of(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** The names of the forms of {@code secret} found in {@code content} (read byte for byte); empty if none. */
    public static List<String> foundIn(byte[] content, byte[] secret) {
        return foundIn(new String(content, StandardCharsets.ISO_8859_1), secret);
    }

    /**
     * The names of the forms of {@code secret} found in {@code text}; empty if none. The raw form is
     * looked for as the secret's UTF-8 text and as its bytes one char each.
     */
    public static List<String> foundIn(String text, byte[] secret) {
        String utf8 = new String(secret, StandardCharsets.UTF_8);
        Map<String, String> forms = of(secret);
        List<String> found = new java.util.ArrayList<>(forms.entrySet().stream()
                .filter(form -> text.contains(form.getValue())).map(Map.Entry::getKey).toList());
        if (!found.contains("raw") && !utf8.isEmpty() && text.contains(utf8)) {
            found.add(0, "raw");
        }
        return found;
    }

    /** Fails, naming {@code where} and the forms found (not the secret), if any form of it is in {@code content}. */
    public static void assertAbsent(String where, byte[] content, byte[] secret) {
        List<String> found = foundIn(content, secret);
        if (!found.isEmpty()) {
            throw new AssertionError(where + " holds a secret (" + secret.length + " bytes) in form " + found);
        }
    }

    public static void assertAbsent(String where, String text, byte[] secret) {
        List<String> found = foundIn(text, secret);
        if (!found.isEmpty()) {
            throw new AssertionError(where + " holds a secret (" + secret.length + " bytes) in form " + found);
        }
    }
}
