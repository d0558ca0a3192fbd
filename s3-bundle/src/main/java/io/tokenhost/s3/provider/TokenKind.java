package io.tokenhost.s3.provider;

/** Which STS call obtains the temporary credentials. */
public enum TokenKind {
    /** {@code GetSessionToken}: temporary credentials of the manager's own IAM user (Flink parity). */
    SESSION_TOKEN("session-token"),
    /** {@code AssumeRole}: temporary credentials of a role, optionally narrowed by a session policy. */
    ASSUME_ROLE("assume-role");

    private final String key;

    TokenKind(String key) {
        this.key = key;
    }

    /** The configuration value, e.g. {@code assume-role}. */
    public String key() {
        return key;
    }

    static TokenKind parse(String text) {
        for (TokenKind kind : values()) {
            if (kind.key.equals(text)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("token-kind: must be session-token or assume-role, got '"
                + io.tokenhost.s3.config.ConfigReader.shown(text) + "'");
    }
}
