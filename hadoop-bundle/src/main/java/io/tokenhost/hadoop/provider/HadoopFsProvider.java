package io.tokenhost.hadoop.provider;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.ObtainedTokens;
import io.tokenhost.hadoop.support.HadoopRelease;
import io.tokenhost.hadoop.support.HadoopThread;
import io.tokenhost.hadoop.support.KerberosLogin;
import io.tokenhost.hadoop.support.TokenStorage;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider {@code hadoopfs} (or {@code hadoopfs.<name>} for a further cluster): delegation tokens
 * for Hadoop file systems, in Hadoop's token-storage format, for one accepted {@link
 * ProviderSettings} ({@link HadoopFsProviderComponent} or {@link HadoopFsClusterComponent} starts and
 * registers it). If Hadoop's security setup fails with these settings (e.g. an inline
 * {@code hadoop.<key>} Hadoop itself refuses, or a nameservice without its failover settings, see
 * {@link Nameservices}), every obtain fails with that message, so {@code token:status} shows it.
 */
final class HadoopFsProvider implements DelegationTokenProvider, AutoCloseable {

    static final String SERVICE = "hadoopfs";

    private static final Logger LOG = LoggerFactory.getLogger(HadoopFsProvider.class);

    private final String service;
    private final ProviderSettings settings;
    private final HadoopThread hadoop;
    private Configuration conf;
    private KerberosLogin login;
    private ImportedTokens imported = ImportedTokens.none();
    private boolean importPending;
    private String setupError;

    private HadoopFsProvider(String service, ProviderSettings settings) {
        this.service = service;
        this.settings = settings;
        this.hadoop = new HadoopThread(service + "-provider");
    }

    /** Sets Hadoop up for these settings, on the provider's own thread; the tokens are distributed as {@code service}. */
    static HadoopFsProvider start(String service, ProviderSettings settings) throws Exception {
        HadoopRelease.preload();
        HadoopFsProvider provider = new HadoopFsProvider(service, settings);
        try {
            provider.hadoop.run(provider::setUp);
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
            setupError = "Hadoop security setup failed: " + e.getMessage()
                    + " (Kerberos configuration java.security.krb5.conf="
                    + System.getProperty("java.security.krb5.conf", "(JDK default)") + ")";
            LOG.error(setupError);
            return;
        }
        Optional<String> nameserviceProblem = Nameservices.check(conf, TokenObtainer.filesystems(conf, settings.filesystems()));
        if (nameserviceProblem.isPresent()) {
            setupError = "Hadoop client configuration refused: " + nameserviceProblem.get();
            LOG.error("{}: {}", service, setupError);
            return;
        }
        login = new KerberosLogin(settings.principal(), settings.keytab(), settings.ticketCache());
        importPending = settings.importTokenFile().isPresent();
        LOG.info("{} provider ready: file systems {}, login {}", service, TokenObtainer.filesystems(conf, settings.filesystems()),
                settings.keytab().isPresent() ? settings.principal().orElseThrow() + " (keytab)"
                        : settings.kerberos() ? "ticket cache" : "current user");
    }

    /** Logs out and ends the provider's thread; the last component of the bundle also releases Hadoop. */
    @Override
    public void close() throws Exception {
        try {
            hadoop.run(() -> {
                if (login != null) {
                    login.logout();
                }
                HadoopRelease.release();
            });
        } finally {
            hadoop.close();
        }
    }

    @Override
    public String serviceName() {
        return service;
    }

    @Override
    public boolean delegationTokensRequired() throws Exception {
        return setupError != null || hadoop.call(() -> "kerberos".equalsIgnoreCase(conf.get("hadoop.security.authentication", "simple")));
    }

    @Override
    public synchronized ObtainedTokens obtainDelegationTokens() throws Exception {
        if (setupError != null) {
            throw new IllegalStateException(setupError);
        }
        return hadoop.call(() -> {
            UserGroupInformation user = login.user();
            if (importPending) {
                importPending = false;
                try {
                    imported = ImportedTokens.load(settings.importTokenFile().get(), user, conf, Clock.systemUTC());
                } catch (java.io.IOException e) {
                    LOG.warn("{}; obtaining new tokens instead", e.getMessage());
                }
            }
            UserGroupInformation effective = settings.proxyUser()
                    .map(name -> UserGroupInformation.createProxyUser(name, user)).orElse(user);
            String renewer = settings.renewer().orElse(user.getShortUserName());
            Credentials credentials = TokenObtainer.obtain(effective, conf,
                    TokenObtainer.filesystems(conf, settings.filesystems()), renewer, imported);
            Optional<Instant> validUntil = TokenValidity.of(credentials, user, conf);
            byte[] bytes = TokenStorage.serialize(credentials);
            LOG.info("{}: {} token(s) for {}, valid until {}", service, credentials.numberOfTokens(),
                    effective.getUserName(), validUntil.map(Instant::toString).orElse("(unknown)"));
            return validUntil.map(until -> ObtainedTokens.of(bytes, until)).orElseGet(() -> ObtainedTokens.withoutExpiry(bytes));
        });
    }
}
