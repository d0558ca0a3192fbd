package io.tokenhost.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short, non-reversible name for token bytes: the first 12 hex digits of their SHA-256. Lets
 * operators see that two places hold the same tokens without ever showing the tokens.
 */
public final class TokenFingerprint {

    private TokenFingerprint() {
    }

    public static String of(byte[] tokens) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(tokens);
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
