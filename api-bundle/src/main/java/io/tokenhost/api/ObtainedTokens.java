package io.tokenhost.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one obtain returned: opaque token bytes and, when the provider knows it, the instant until
 * which they are valid. Without a valid-until the host re-obtains on its fallback period.
 */
public final class ObtainedTokens {

    private final byte[] tokens;
    private final Instant validUntil;

    private ObtainedTokens(byte[] tokens, Instant validUntil) {
        this.tokens = Objects.requireNonNull(tokens, "tokens").clone();
        this.validUntil = validUntil;
    }

    /** Tokens valid until the given instant. */
    public static ObtainedTokens of(byte[] tokens, Instant validUntil) {
        return new ObtainedTokens(tokens, Objects.requireNonNull(validUntil, "validUntil"));
    }

    /** Tokens whose validity the provider cannot tell. */
    public static ObtainedTokens withoutExpiry(byte[] tokens) {
        return new ObtainedTokens(tokens, null);
    }

    /** A copy of the token bytes. */
    public byte[] tokens() {
        return tokens.clone();
    }

    /** The number of token bytes, without copying them. */
    public int size() {
        return tokens.length;
    }

    public Optional<Instant> validUntil() {
        return Optional.ofNullable(validUntil);
    }

    /** Never shows the token bytes. */
    @Override
    public String toString() {
        return "ObtainedTokens[" + tokens.length + " bytes, validUntil=" + validUntil + "]";
    }
}
