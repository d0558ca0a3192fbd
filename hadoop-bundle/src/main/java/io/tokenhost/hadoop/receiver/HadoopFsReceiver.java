package io.tokenhost.hadoop.receiver;

import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.hadoop.common.HadoopRelease;
import io.tokenhost.hadoop.common.HadoopThread;
import io.tokenhost.hadoop.common.TokenFile;
import io.tokenhost.hadoop.common.TokenStorage;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receiver {@code hadoopfs}. Configuration PID {@code io.tokenhost.hadoop.receiver} (optional):
 * {@code token-file} (default none): a Hadoop token file, replaced atomically and owner-only, for
 * processes started with {@code HADOOP_TOKEN_FILE_LOCATION} pointing at it;
 * {@code install-in-process} (default true): add the tokens to this bundle's current Hadoop user.
 */
@Component(service = DelegationTokenReceiver.class, configurationPid = "io.tokenhost.hadoop.receiver",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class HadoopFsReceiver implements DelegationTokenReceiver {

    static final String TOKEN_FILE = "token-file";
    static final String INSTALL_IN_PROCESS = "install-in-process";

    private static final Logger LOG = LoggerFactory.getLogger(HadoopFsReceiver.class);

    private Optional<TokenFile> file = Optional.empty();
    private boolean installInProcess = true;
    private final HadoopThread hadoop = new HadoopThread("hadoopfs-receiver");

    @Activate
    void activate(Map<String, Object> properties) throws Exception {
        HadoopRelease.preload();
        try {
            hadoop.run(() -> configure(properties));
        } catch (Exception | Error e) {
            deactivate();
            throw e;
        }
    }

    private void configure(Map<String, Object> properties) {
        Object path = properties.get(TOKEN_FILE);
        if (path != null && !path.toString().isBlank()) {
            file = Optional.of(new TokenFile(Path.of(path.toString().trim())));
        }
        Object install = properties.get(INSTALL_IN_PROCESS);
        if (install != null) {
            String value = install.toString().trim();
            if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                LOG.error("invalid configuration io.tokenhost.hadoop.receiver: {}: '{}' is not true or false; using true",
                        INSTALL_IN_PROCESS, value);
            } else {
                installInProcess = Boolean.parseBoolean(value);
            }
        }
        LOG.info("hadoopfs receiver ready: token file {}, install in process {}",
                file.map(f -> f.path().toString()).orElse("(none)"), installInProcess);
    }

    @Deactivate
    void deactivate() throws Exception {
        try {
            hadoop.run(HadoopRelease::release);
        } finally {
            hadoop.close();
        }
    }

    @Override
    public String serviceName() {
        return "hadoopfs";
    }

    @Override
    public void onNewTokensObtained(byte[] tokens) throws Exception {
        hadoop.run(() -> {
            Credentials credentials = TokenStorage.parse(tokens);
            if (file.isPresent()) {
                file.get().write(tokens);
            }
            if (installInProcess) {
                UserGroupInformation.getCurrentUser().addCredentials(credentials);
            }
            LOG.info("hadoopfs receiver installed {} token(s){}: {}", credentials.numberOfTokens(),
                    file.map(f -> " in " + f.path()).orElse(""), TokenStorage.describe(credentials));
        });
    }

    @Override
    public void onTokensWithdrawn() throws Exception {
        hadoop.run(() -> {
            if (file.isPresent()) {
                file.get().delete();
                LOG.info("hadoopfs tokens withdrawn: removed {}", file.get().path());
            }
        });
    }
}
