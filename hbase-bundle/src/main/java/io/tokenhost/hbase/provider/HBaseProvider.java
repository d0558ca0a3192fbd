package io.tokenhost.hbase.provider;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.ObtainedTokens;
import io.tokenhost.hbase.common.HBaseRelease;
import io.tokenhost.hbase.common.HBaseThread;
import io.tokenhost.hbase.common.TokenStorage;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.security.token.AuthenticationTokenIdentifier;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider {@code hbase} (or {@code hbase.<name>} for a further cluster): an HBase authentication
 * token in Hadoop's token-storage format, valid until the expiration date the master wrote into it.
 * HBase tokens cannot be renewed (Flink and Spark obtain them once, and jobs die when they expire);
 * the host re-obtains a new one before that date. If the Hadoop security setup fails with these
 * settings, every obtain fails with that message, so {@code token:status} shows it.
 */
final class HBaseProvider implements DelegationTokenProvider, AutoCloseable {

    static final String SERVICE = "hbase";

    private static final Logger LOG = LoggerFactory.getLogger(HBaseProvider.class);

    private final String service;
    private final ProviderSettings settings;
    private final HBaseThread hbase;
    private Configuration conf;
    private KerberosLogin login;
    private String setupError;

    private HBaseProvider(String service, ProviderSettings settings) {
        this.service = service;
        this.settings = settings;
        this.hbase = new HBaseThread(service + "-provider");
    }

    /** Sets the client up for these settings, on the provider's own thread; the tokens are distributed as {@code service}. */
    static HBaseProvider start(String service, ProviderSettings settings) throws Exception {
        HBaseRelease.preload();
        HBaseProvider provider = new HBaseProvider(service, settings);
        try {
            provider.hbase.run(provider::setUp);
        } catch (Exception | Error e) {
            provider.close();
            throw e;
        }
        return provider;
    }

    private void setUp() {
        conf = settings.client().configuration();
        try {
            UserGroupInformation.setConfiguration(conf);
        } catch (RuntimeException e) {
            setupError = "Hadoop security setup (of the HBase client) failed: " + e.getMessage()
                    + " (Kerberos configuration java.security.krb5.conf="
                    + System.getProperty("java.security.krb5.conf", "(JDK default)") + ")";
            LOG.error(setupError);
            return;
        }
        login = new KerberosLogin(settings);
        LOG.info("{} provider ready: {}, login {}", service, TokenObtainer.cluster(conf),
                settings.keytab().isPresent() ? settings.principal().orElseThrow() + " (keytab)"
                        : settings.kerberos() ? "ticket cache" : "current user");
    }

    /** Logs out and ends the provider's thread; the last component of the bundle also releases Hadoop. */
    @Override
    public void close() throws Exception {
        try {
            hbase.run(() -> {
                if (login != null) {
                    login.logout();
                }
                HBaseRelease.release();
            });
        } finally {
            hbase.close();
        }
    }

    @Override
    public String serviceName() {
        return service;
    }

    @Override
    public boolean delegationTokensRequired() throws Exception {
        return setupError != null || hbase.call(() -> "kerberos".equalsIgnoreCase(conf.get("hbase.security.authentication", "simple")));
    }

    @Override
    public synchronized ObtainedTokens obtainDelegationTokens() throws Exception {
        if (setupError != null) {
            throw new IllegalStateException(setupError);
        }
        return hbase.call(() -> {
            UserGroupInformation user = login.user();
            UserGroupInformation effective = settings.proxyUser()
                    .map(name -> UserGroupInformation.createProxyUser(name, user)).orElse(user);
            Token<AuthenticationTokenIdentifier> token = TokenObtainer.obtain(effective, conf);
            AuthenticationTokenIdentifier id = AuthenticationTokens.identifier(token);
            Instant validUntil = AuthenticationTokens.validUntil(id);
            Credentials credentials = new Credentials();
            credentials.addToken(token.getService(), token);
            byte[] bytes = TokenStorage.serialize(credentials);
            LOG.info("{}: obtained {} for {}", service, AuthenticationTokens.describe(token, id), effective.getUserName());
            return ObtainedTokens.of(bytes, validUntil);
        });
    }
}
