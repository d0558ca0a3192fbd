package io.tokenhost.hadoop.provider;

import io.tokenhost.hadoop.support.KerberosLogin;
import io.tokenhost.hadoop.support.TokenStorage;
import java.io.IOException;
import java.net.URI;
import java.security.PrivilegedExceptionAction;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Obtains delegation tokens for the default file system and the configured ones, as a given user
 * (the login user, or a proxy user impersonated by it). Each file system is a fresh, uncached
 * instance closed right after, so no connection or cache entry outlives the obtain.
 */
final class TokenObtainer {

    private static final Logger LOG = LoggerFactory.getLogger(TokenObtainer.class);

    private TokenObtainer() {
    }

    static Set<URI> filesystems(Configuration conf, List<URI> configured) {
        Set<URI> uris = new LinkedHashSet<>();
        uris.add(FileSystem.getDefaultUri(conf));
        uris.addAll(configured);
        return uris;
    }

    static Credentials obtain(UserGroupInformation user, Configuration conf, Set<URI> filesystems, String renewer,
            ImportedTokens imported) throws IOException, InterruptedException {
        Credentials credentials = new Credentials();
        for (URI uri : filesystems) {
            user.doAs((PrivilegedExceptionAction<Void>) () -> {
                try (FileSystem fs = FileSystem.newInstance(uri, conf)) {
                    String service = fs.getCanonicalServiceName();
                    Optional<Token<? extends TokenIdentifier>> reused =
                            service == null ? Optional.empty() : imported.usable(new Text(service));
                    if (reused.isPresent()) {
                        credentials.addToken(reused.get().getService(), reused.get());
                        LOG.info("using imported {}", TokenStorage.describe(reused.get()));
                        return null;
                    }
                    Token<?>[] tokens = fs.addDelegationTokens(renewer, credentials);
                    for (Token<?> token : tokens) {
                        LOG.info("obtained {}", TokenStorage.describe(token));
                    }
                    if (tokens.length == 0 && service != null && credentials.getToken(new Text(service)) == null) {
                        LOG.info("{} issued no delegation token (security off on that file system?)", uri);
                    }
                } catch (IOException | RuntimeException e) {
                    // RuntimeException: Hadoop reports an unresolvable authority as IllegalArgumentException
                    throw new IOException("obtaining a delegation token from " + uri + " as " + user.getUserName()
                            + " failed: " + Nameservices.unknown(conf, uri).orElseGet(() -> KerberosLogin.rootMessage(e)), null);
                }
                return null;
            });
        }
        return credentials;
    }
}
