package io.tokenhost.host.core;

import io.tokenhost.api.ContextClassLoader;
import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.ObtainedTokens;
import io.tokenhost.api.distribution.TokenContainer;
import java.time.Instant;
import java.util.Optional;

/** What one obtain came to: tokens, "not required", or an error (one line, no token bytes). */
record ObtainOutcome(ObtainedTokens tokens, String error) {

    static final ObtainOutcome NOT_REQUIRED = new ObtainOutcome(null, null);

    /** Asks the provider, with its own context classloader; never throws. */
    static ObtainOutcome ask(DelegationTokenProvider provider) {
        try {
            return ContextClassLoader.call(provider.getClass().getClassLoader(), () -> provider.delegationTokensRequired()
                    ? obtained(provider.obtainDelegationTokens())
                    : NOT_REQUIRED);
        } catch (Throwable e) {
            return failed(Errors.describe(e));
        }
    }

    static ObtainOutcome obtained(ObtainedTokens tokens) {
        return tokens == null ? failed("the provider returned no tokens (null)") : new ObtainOutcome(tokens, null);
    }

    static ObtainOutcome failed(String error) {
        return new ObtainOutcome(null, error);
    }

    /**
     * Why this outcome's tokens cannot be used at {@code now}, or why the obtain failed; empty if
     * they can be used or none were required.
     */
    Optional<String> problemAt(Instant now) {
        if (tokens == null) {
            return Optional.ofNullable(error);
        }
        if (tokens.size() > TokenContainer.MAX_TOKEN_BYTES) {
            return Optional.of("the provider returned " + tokens.size() + " bytes of tokens; at most "
                    + TokenContainer.MAX_TOKEN_BYTES + " are allowed");
        }
        Optional<Instant> validUntil = tokens.validUntil();
        if (validUntil.isPresent() && !validUntil.get().isAfter(now)) {
            return Optional.of("the provider returned tokens that expired at " + validUntil.get()
                    + " (now " + now + "; clock skew?)");
        }
        if (validUntil.isPresent() && validUntil.get().isAfter(TokenContainer.MAX_VALID_UNTIL)) {
            return Optional.of("the provider returned tokens valid until " + validUntil.get()
                    + ", later than a container can carry (" + TokenContainer.MAX_VALID_UNTIL + ")");
        }
        return Optional.empty();
    }
}
