package io.tokenhost.hadoop.receiver;

import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.hadoop.common.HadoopRelease;
import io.tokenhost.hadoop.common.HadoopThread;
import io.tokenhost.hadoop.common.TokenFile;
import io.tokenhost.hadoop.common.TokenStorage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hadoop receiver for one accepted {@link ReceiverSettings} ({@link HadoopFsReceiverComponent}
 * starts it and registers {@link #forService one receiver per configured service}): keeps the
 * latest tokens of each service (e.g. {@code hadoopfs} and {@code hadoopfs.cluster2}, one per
 * cluster) and writes their union to one Hadoop token file, replaced atomically and owner-only, for
 * processes started with {@code HADOOP_TOKEN_FILE_LOCATION} pointing at it; and adds them to this
 * bundle's current Hadoop user. A service whose tokens are withdrawn leaves the file; the others
 * stay. All work runs on the receiver's one Hadoop thread, so updates never interleave.
 */
final class HadoopFsReceiver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HadoopFsReceiver.class);

    private final Optional<TokenFile> file;
    private final boolean installInProcess;
    private final HadoopThread hadoop = new HadoopThread("hadoopfs-receiver");
    /** Latest tokens per service, in arrival order; touched on the Hadoop thread only. */
    private final Map<String, Credentials> byService = new LinkedHashMap<>();
    /** The shared aliases last warned about (once per change); touched on the Hadoop thread only. */
    private List<String> sharedAliases = List.of();

    private HadoopFsReceiver(ReceiverSettings settings) {
        this.file = settings.tokenFile().map(TokenFile::new);
        this.installInProcess = settings.installInProcess();
    }

    static HadoopFsReceiver start(ReceiverSettings settings) {
        HadoopRelease.preload();
        HadoopFsReceiver receiver = new HadoopFsReceiver(settings);
        LOG.info("hadoopfs receiver ready: services {}, token file {}, install in process {}", settings.services(),
                receiver.file.map(f -> f.path().toString()).orElse("(none)"), receiver.installInProcess);
        return receiver;
    }

    /** The receiver of one service, feeding this one's token file. */
    DelegationTokenReceiver forService(String service) {
        return new DelegationTokenReceiver() {
            @Override
            public String serviceName() {
                return service;
            }

            @Override
            public void onNewTokensObtained(byte[] tokens) throws Exception {
                received(service, tokens);
            }

            @Override
            public void onTokensWithdrawn() throws Exception {
                withdrawn(service);
            }
        };
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

    private void received(String service, byte[] tokens) throws Exception {
        hadoop.run(() -> {
            Credentials credentials = TokenStorage.parse(tokens);
            byService.put(service, credentials);
            if (file.isPresent()) {
                file.get().write(TokenStorage.serialize(merged()));
            }
            if (installInProcess) {
                UserGroupInformation.getCurrentUser().addCredentials(credentials);
            }
            LOG.info("hadoopfs receiver installed {} token(s) of {}{}: {}", credentials.numberOfTokens(), service,
                    file.map(f -> " in " + f.path() + " (" + merged().numberOfTokens() + " in all)").orElse(""),
                    TokenStorage.describe(credentials));
            warnAboutSharedAliases();
        });
    }

    /**
     * Two services with a token for the same alias (two tenants' tokens for one NameNode): only one
     * can be in the file. Said once per change, as a WARNING naming the alias and the services.
     */
    private void warnAboutSharedAliases() {
        List<String> shared = SharedAliases.describe(byService);
        if (!shared.isEmpty() && !shared.equals(sharedAliases)) {
            LOG.warn("hadoopfs receiver: several services hold a token for the same alias, and a Hadoop token file keeps"
                    + " one token per alias: {}. A Hadoop client uses one token per NameNode anyway: give each tenant's"
                    + " services their own workers (access.<service> on the manager)", String.join("; ", shared));
        }
        sharedAliases = shared;
    }

    private void withdrawn(String service) throws Exception {
        hadoop.run(() -> {
            if (byService.remove(service) == null) {
                return;
            }
            sharedAliases = SharedAliases.describe(byService);
            if (file.isEmpty()) {
                return;
            }
            if (byService.isEmpty()) {
                file.get().delete();
                LOG.info("hadoopfs tokens of {} withdrawn: removed {}", service, file.get().path());
            } else {
                Credentials rest = merged();
                file.get().write(TokenStorage.serialize(rest));
                LOG.info("hadoopfs tokens of {} withdrawn: {} keeps {} token(s) of {}", service, file.get().path(),
                        rest.numberOfTokens(), byService.keySet());
            }
        });
    }

    private Credentials merged() {
        Credentials all = new Credentials();
        byService.values().forEach(all::addAll);
        return all;
    }
}
