package io.tokenhost.hadoop.provider;

import io.tokenhost.hadoop.support.KerberosLogin;
import io.tokenhost.hadoop.support.TokenStorage;
import java.time.Instant;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.apache.hadoop.security.token.delegation.AbstractDelegationTokenIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Until when delegation tokens are valid: renew each token once (as the renewer), as Flink does to
 * learn the renewal interval; the expiration the NameNode answers is the valid-until, never past
 * the token's max date. For a freshly obtained token that equals Flink's issue date + interval;
 * for an imported, older token it is still right. When a token cannot be renewed by this login
 * (another renewer), issue date + {@code dfs.namenode.delegation.token.renew-interval} stands in.
 */
final class TokenValidity {

    static final String RENEW_INTERVAL_KEY = "dfs.namenode.delegation.token.renew-interval";
    static final long DEFAULT_RENEW_INTERVAL_MS = 24L * 60 * 60 * 1000;

    private static final Logger LOG = LoggerFactory.getLogger(TokenValidity.class);

    private TokenValidity() {
    }

    /** The earliest valid-until of the delegation tokens, or empty when none carries dates. */
    static Optional<Instant> of(Credentials credentials, UserGroupInformation renewer, Configuration conf) {
        Instant earliest = null;
        for (Token<? extends TokenIdentifier> token : credentials.getAllTokens()) {
            Optional<Instant> until = of(token, renewer, conf);
            if (until.isPresent() && (earliest == null || until.get().isBefore(earliest))) {
                earliest = until.get();
            }
        }
        return Optional.ofNullable(earliest);
    }

    static Optional<Instant> of(Token<? extends TokenIdentifier> token, UserGroupInformation renewer, Configuration conf) {
        AbstractDelegationTokenIdentifier id = TokenStorage.identifier(token);
        if (id == null) {
            return Optional.empty();
        }
        long until = expiration(token, id, renewer, conf);
        if (id.getMaxDate() > 0) {
            until = Math.min(until, id.getMaxDate());
        }
        return Optional.of(Instant.ofEpochMilli(until));
    }

    private static long expiration(Token<? extends TokenIdentifier> token, AbstractDelegationTokenIdentifier id,
            UserGroupInformation renewer, Configuration conf) {
        try {
            return renewer.doAs((java.security.PrivilegedExceptionAction<Long>) () -> token.renew(conf));
        } catch (Exception e) {
            long fallback = conf.getLong(RENEW_INTERVAL_KEY, DEFAULT_RENEW_INTERVAL_MS);
            LOG.warn("cannot renew {} as {} to learn its renewal interval ({}); assuming {} ms from {}",
                    token.getKind(), renewer.getShortUserName(), KerberosLogin.rootMessage(e), fallback, RENEW_INTERVAL_KEY);
            return id.getIssueDate() + fallback;
        }
    }
}
