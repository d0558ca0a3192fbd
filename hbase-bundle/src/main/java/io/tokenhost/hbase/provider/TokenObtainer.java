package io.tokenhost.hbase.provider;

import java.io.IOException;
import java.security.PrivilegedExceptionAction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.security.User;
import org.apache.hadoop.hbase.security.token.AuthenticationTokenIdentifier;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;

/**
 * Obtains one {@code HBASE_AUTH_TOKEN} from a cluster, as a user, over a connection of its own that
 * is closed again (with its threads): the master's {@code TokenProvider} coprocessor endpoint, as
 * Flink and Spark do (through HBase's {@code TokenUtil}). The token is never added to the user's
 * credentials: with an HBase token in its credentials the next connection would authenticate with
 * that token, and the cluster hands out tokens only to Kerberos-authenticated callers. Errors name
 * the cluster (ZooKeeper quorum, znode parent) and, when the endpoint is missing, the coprocessor.
 */
final class TokenObtainer {

    static final String TOKEN_PROVIDER = "org.apache.hadoop.hbase.security.token.TokenProvider";

    private TokenObtainer() {
    }

    static Token<AuthenticationTokenIdentifier> obtain(UserGroupInformation user, Configuration conf) throws IOException {
        try {
            return user.doAs((PrivilegedExceptionAction<Token<AuthenticationTokenIdentifier>>) () -> {
                try (Connection connection = ConnectionFactory.createConnection(conf, User.create(user))) {
                    return TokenEndpoint.obtain(connection);
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("obtaining an HBase token from " + cluster(conf) + " was interrupted", null);
        } catch (IOException | RuntimeException e) {
            throw new IOException(explain(e, conf), null);
        }
    }

    /** The cluster as its configuration names it: ZooKeeper quorum, client port and znode parent. */
    static String cluster(Configuration conf) {
        return "the HBase cluster at ZooKeeper " + conf.get(HConstants.ZOOKEEPER_QUORUM, "localhost")
                + " (client port " + conf.get(HConstants.ZOOKEEPER_CLIENT_PORT, "2181") + ", znode parent "
                + conf.get(HConstants.ZOOKEEPER_ZNODE_PARENT, HConstants.DEFAULT_ZOOKEEPER_ZNODE_PARENT) + ")";
    }

    private static String explain(Exception e, Configuration conf) {
        String root = KerberosLogin.rootMessage(e);
        if (root.contains("AuthenticationService") || root.contains("UnknownProtocolException")) {
            return "obtaining an HBase token from " + cluster(conf) + " failed: the cluster has no token endpoint; "
                    + "its region servers need the coprocessor " + TOKEN_PROVIDER
                    + " (hbase.coprocessor.region.classes) and HBase security on: " + firstLine(root);
        }
        return "obtaining an HBase token from " + cluster(conf) + " failed: " + firstLine(root);
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 400 ? line.substring(0, 400) + " ..." : line;
    }
}
