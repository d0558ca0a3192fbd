package io.tokenhost.hbase.provider;

import java.io.IOException;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.security.token.AuthenticationTokenIdentifier;
import org.apache.hadoop.hbase.security.token.ClientTokenUtil;
import org.apache.hadoop.security.token.Token;

/** The one call into HBase's client that asks the cluster's {@code TokenProvider} endpoint for a token. */
final class TokenEndpoint {

    private TokenEndpoint() {
    }

    static Token<AuthenticationTokenIdentifier> obtain(Connection connection) throws IOException {
        return ClientTokenUtil.obtainToken(connection);
    }
}
