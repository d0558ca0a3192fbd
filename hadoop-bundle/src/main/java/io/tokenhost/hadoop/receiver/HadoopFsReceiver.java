package io.tokenhost.hadoop.receiver;

import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.hadoop.common.HadoopRelease;
import io.tokenhost.hadoop.common.HadoopThread;
import io.tokenhost.hadoop.common.TokenFile;
import io.tokenhost.hadoop.common.TokenStorage;
import java.util.Optional;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receiver {@code hadoopfs} for one accepted {@link ReceiverSettings}
 * ({@link HadoopFsReceiverComponent} starts and registers it): writes the tokens to a Hadoop token
 * file, replaced atomically and owner-only, for processes started with
 * {@code HADOOP_TOKEN_FILE_LOCATION} pointing at it, and adds them to this bundle's current Hadoop
 * user.
 */
final class HadoopFsReceiver implements DelegationTokenReceiver, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HadoopFsReceiver.class);

    private final Optional<TokenFile> file;
    private final boolean installInProcess;
    private final HadoopThread hadoop = new HadoopThread("hadoopfs-receiver");

    private HadoopFsReceiver(ReceiverSettings settings) {
        this.file = settings.tokenFile().map(TokenFile::new);
        this.installInProcess = settings.installInProcess();
    }

    static HadoopFsReceiver start(ReceiverSettings settings) {
        HadoopRelease.preload();
        HadoopFsReceiver receiver = new HadoopFsReceiver(settings);
        LOG.info("hadoopfs receiver ready: token file {}, install in process {}",
                receiver.file.map(f -> f.path().toString()).orElse("(none)"), receiver.installInProcess);
        return receiver;
    }

    /** Ends the receiver's thread; the last component of the bundle also releases Hadoop. */
    @Override
    public void close() throws Exception {
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

    /** Logged once per withdrawal, however often it is asked for (the host, then the component's stop). */
    @Override
    public void onTokensWithdrawn() throws Exception {
        hadoop.run(() -> {
            if (file.isPresent() && file.get().delete()) {
                LOG.info("hadoopfs tokens withdrawn: removed {}", file.get().path());
            }
        });
    }
}
