package io.tokenhost.s3.provider;

import java.time.Duration;
import java.util.Set;

/** Which STS call obtains the temporary credentials. */
public enum TokenKind {
    /** {@code GetSessionToken}: temporary credentials of the manager's own IAM user (Flink parity). */
    SESSION_TOKEN("session-token", Duration.ofHours(36)),
    /** {@code AssumeRole}: temporary credentials of a role, optionally narrowed by a session policy. */
    ASSUME_ROLE("assume-role", Duration.ofHours(12));

    private final String key;
    private final Duration maxDuration;

    TokenKind(String key, Duration maxDuration) {
        this.key = key;
        this.maxDuration = maxDuration;
    }

    /** The configuration value, e.g. {@code assume-role}. */
    public String key() {
        return key;
    }

    /** The longest lifetime STS grants for this call. */
    Duration maxDuration() {
        return maxDuration;
    }

    static Set<String> keys() {
        return Set.of(SESSION_TOKEN.key, ASSUME_ROLE.key);
    }

    /** The kind of a value that {@link #keys()} holds. */
    static TokenKind of(String key) {
        return key.equals(ASSUME_ROLE.key) ? ASSUME_ROLE : SESSION_TOKEN;
    }
}
