package io.tokenhost.hadoop.provider;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.ObtainedTokens;
import io.tokenhost.hadoop.common.HadoopConfigs;
import io.tokenhost.hadoop.common.HadoopRelease;
import io.tokenhost.hadoop.common.HadoopThread;
import io.tokenhost.hadoop.common.TokenStorage;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider {@code hadoopfs}: delegation tokens for Hadoop file systems, in Hadoop's token-storage
 * format. Configuration PID {@code io.tokenhost.hadoop} (required: without it there is nothing to
 * log in as); keys in {@code docs/hadoop.md}. A configuration error does not stop the component:
 * every obtain fails with a message naming the key, so {@code token:status} shows it.
 */
@Component(service = DelegationTokenProvider.class, configurationPid = "io.tokenhost.hadoop",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public class HadoopFsProvider implements DelegationTokenProvider {

    public static final String SERVICE = "hadoopfs";

    private static final Logger LOG = LoggerFactory.getLogger(HadoopFsProvider.class);

    private ProviderSettings settings;
    private Configuration conf;
    private KerberosLogin login;
    private ImportedTokens imported = ImportedTokens.none();
    private boolean importPending;
    private String configError;
    private final HadoopThread hadoop = new HadoopThread("hadoopfs-provider");

    @Activate
    void activate(Map<String, Object> properties) throws Exception {
        HadoopRelease.preload();
        try {
            setUp(properties);
        } catch (Exception | Error e) {
            deactivate();
            throw e;
        }
    }

    private void setUp(Map<String, Object> properties) throws Exception {
        hadoop.run(() -> {
            try {
                settings = ProviderSettings.parse(properties);
                conf = HadoopConfigs.build(properties);
                if (settings.kerberos() && !HadoopConfigs.inlineOverrides(properties).containsKey("hadoop.security.authentication")) {
                    conf.set("hadoop.security.authentication", "kerberos");
                }
                try {
                    UserGroupInformation.setConfiguration(conf);
                } catch (RuntimeException e) {
                    throw new IllegalStateException("Hadoop security setup failed: " + e.getMessage()
                            + " (Kerberos configuration java.security.krb5.conf="
                            + System.getProperty("java.security.krb5.conf", "(JDK default)") + ")");
                }
                login = new KerberosLogin(settings);
                importPending = settings.importTokenFile().isPresent();
                LOG.info("hadoopfs provider ready: file systems {}, login {}", TokenObtainer.filesystems(conf, settings.filesystems()),
                        settings.keytab().isPresent() ? settings.principal().orElseThrow() + " (keytab)"
                                : settings.kerberos() ? "ticket cache" : "current user");
            } catch (IllegalArgumentException e) {
                configError = "invalid configuration io.tokenhost.hadoop: " + e.getMessage();
                LOG.error(configError);
            } catch (IllegalStateException e) {
                configError = e.getMessage();
                LOG.error(configError);
            }
        });
    }

    @Deactivate
    void deactivate() throws Exception {
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
        return SERVICE;
    }

    @Override
    public boolean delegationTokensRequired() throws Exception {
        return configError != null || hadoop.call(() -> "kerberos".equalsIgnoreCase(conf.get("hadoop.security.authentication", "simple")));
    }

    @Override
    public synchronized ObtainedTokens obtainDelegationTokens() throws Exception {
        if (configError != null) {
            throw new IllegalArgumentException(configError);
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
            LOG.info("hadoopfs: {} token(s) for {}, valid until {}", credentials.numberOfTokens(),
                    effective.getUserName(), validUntil.map(Instant::toString).orElse("(unknown)"));
            return validUntil.map(until -> ObtainedTokens.of(bytes, until)).orElseGet(() -> ObtainedTokens.withoutExpiry(bytes));
        });
    }
}
