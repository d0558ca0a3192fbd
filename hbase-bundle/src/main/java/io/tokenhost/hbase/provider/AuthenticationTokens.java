package io.tokenhost.hbase.provider;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Instant;
import org.apache.hadoop.hbase.security.token.AuthenticationTokenIdentifier;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;

/**
 * What an {@code HBASE_AUTH_TOKEN} says about itself: its identifier, decoded here directly (not
 * through Hadoop's service-loader lookup of identifier classes), and a description that never shows
 * its identifier or password bytes.
 */
final class AuthenticationTokens {

    static final String KIND = AuthenticationTokenIdentifier.AUTH_TOKEN_TYPE.toString();

    private AuthenticationTokens() {
    }

    static AuthenticationTokenIdentifier identifier(Token<? extends TokenIdentifier> token) throws IOException {
        AuthenticationTokenIdentifier id = new AuthenticationTokenIdentifier();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(token.getIdentifier()))) {
            id.readFields(in);
        } catch (IOException | RuntimeException e) {
            throw new IOException("the HBase token's identifier is unreadable (" + e.getClass().getSimpleName() + ")", null);
        }
        return id;
    }

    /** Until when the token is valid: the expiration date the master wrote into its identifier. */
    static Instant validUntil(AuthenticationTokenIdentifier id) {
        return Instant.ofEpochMilli(id.getExpirationDate());
    }

    static String describe(Token<? extends TokenIdentifier> token, AuthenticationTokenIdentifier id) {
        return token.getKind() + " for cluster " + token.getService() + " (owner=" + id.getUsername()
                + ", key=" + id.getKeyId() + ", seq=" + id.getSequenceNumber()
                + ", issued=" + Instant.ofEpochMilli(id.getIssueDate())
                + ", expires=" + Instant.ofEpochMilli(id.getExpirationDate()) + ")";
    }
}
