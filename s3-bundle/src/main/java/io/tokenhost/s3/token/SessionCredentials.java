package io.tokenhost.s3.token;

import java.time.Instant;
import java.util.Objects;

/**
 * Temporary AWS credentials: access key id, secret access key, session token and expiration.
 * {@link #toString()} shows only the access key id's last four characters and the expiration.
 */
public final class SessionCredentials {

    private final String accessKeyId;
    private final String secretAccessKey;
    private final String sessionToken;
    private final Instant expiration;

    public SessionCredentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {
        this.accessKeyId = requireText(accessKeyId, "accessKeyId");
        this.secretAccessKey = requireText(secretAccessKey, "secretAccessKey");
        this.sessionToken = requireText(sessionToken, "sessionToken");
        this.expiration = Objects.requireNonNull(expiration, "expiration");
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " is missing");
        }
        return value;
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String secretAccessKey() {
        return secretAccessKey;
    }

    public String sessionToken() {
        return sessionToken;
    }

    public Instant expiration() {
        return expiration;
    }

    /** The access key id reduced to its last four characters, safe for logs. */
    public String maskedAccessKeyId() {
        return mask(accessKeyId);
    }

    /** Shows at most the last four characters of a key id. */
    public static String mask(String keyId) {
        return keyId.length() <= 4 ? "****" : "****" + keyId.substring(keyId.length() - 4);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionCredentials other && accessKeyId.equals(other.accessKeyId)
                && secretAccessKey.equals(other.secretAccessKey) && sessionToken.equals(other.sessionToken)
                && expiration.equals(other.expiration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(accessKeyId, expiration);
    }

    @Override
    public String toString() {
        return "SessionCredentials[accessKeyId=" + maskedAccessKeyId() + ", expiration=" + expiration + "]";
    }
}
