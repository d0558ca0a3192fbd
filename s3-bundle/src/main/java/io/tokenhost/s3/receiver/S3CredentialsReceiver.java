package io.tokenhost.s3.receiver;

import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.s3.token.CredentialsCodec;
import io.tokenhost.s3.token.SessionCredentials;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the temporary credentials of one s3 service, as configured by one accepted
 * {@link ReceiverSettings} ({@link S3ReceiverComponent} registers it):
 * <ul>
 * <li>{@link #credentialsProvider()}: an SDK v2 {@code AwsCredentialsProvider} for S3 clients in
 * this bundle (the SDK is not exported, so its types cannot cross bundles);</li>
 * <li>{@link #supplier()}: the JDK-typed view registered for other bundles, which wrap the map in
 * their own SDK's types; the map is empty while no credentials are held;</li>
 * <li>when {@code credentials-file} is set, a profile in an AWS shared-credentials file for other
 * processes ({@code AWS_SHARED_CREDENTIALS_FILE}, {@code AWS_PROFILE}): with the keys themselves, or,
 * with {@code profile-style=credential-process}, a {@code credential_process} line whose command
 * prints the current keys from a {@link ProcessCredentialsFile}.</li>
 * </ul>
 * All three are refreshed on every update and cleared on withdrawal; a withdrawal is logged once,
 * however often the host and the component's stop ask for it.
 */
public final class S3CredentialsReceiver implements DelegationTokenReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(S3CredentialsReceiver.class);

    private final ReceiverSettings settings;
    private final ReceivedCredentialsProvider provider;
    private final Optional<SharedCredentialsFile> file;
    private final Optional<ProcessCredentialsFile> processFile;
    private boolean holding;

    S3CredentialsReceiver(ReceiverSettings settings) {
        this.settings = settings;
        this.provider = new ReceivedCredentialsProvider(settings.serviceName());
        this.file = settings.credentialsFile().map(p -> new SharedCredentialsFile(p, settings.profile()));
        this.processFile = settings.processCommand().isPresent()
                ? settings.credentialsFile().map(p -> ProcessCredentialsFile.beside(p, settings.profile()))
                : Optional.empty();
    }

    @Override
    public String serviceName() {
        return settings.serviceName();
    }

    @Override
    public synchronized void onNewTokensObtained(byte[] tokens) throws Exception {
        SessionCredentials credentials = CredentialsCodec.decode(tokens);
        // in-process consumers get the new credentials even if the file cannot be written
        provider.update(credentials);
        holding = true;
        if (processFile.isPresent()) {
            // the credentials first, so that the profile never names a command with nothing to print
            processFile.get().write(credentials);
            file.get().writeProcess(ProcessCommand.line(settings.processCommand().get(), processFile.get().path()),
                    settings.serviceName());
        } else if (file.isPresent()) {
            file.get().write(credentials, settings.serviceName());
        }
        LOG.info("s3 service '{}': installed {}", settings.serviceName(), credentials);
    }

    @Override
    public synchronized void onTokensWithdrawn() throws Exception {
        provider.clear();
        boolean removed = false;
        if (file.isPresent()) {
            removed = file.get().remove();
        }
        if (processFile.isPresent()) {
            removed |= processFile.get().remove();
        }
        if (holding || removed) {
            LOG.info("s3 service '{}': credentials withdrawn", settings.serviceName());
        }
        holding = false;
    }

    /** For S3 clients inside this bundle: the latest credentials of this receiver's service. */
    public ReceivedCredentialsProvider credentialsProvider() {
        return provider;
    }

    /** The API-free view other bundles use: JDK types only. */
    Supplier<Map<String, String>> supplier() {
        return new CredentialsSupplier(provider);
    }

    /** Where it installs, for the log. */
    String describe() {
        return "s3 receiver for service '" + settings.serviceName() + "'"
                + file.map(f -> ", profile '" + settings.profile() + "' in " + f.path()).orElse(", memory only")
                + processFile.map(f -> " (credential_process " + settings.processCommand().get() + ", credentials in "
                        + f.path() + ")").orElse("");
    }

    private static final class CredentialsSupplier implements Supplier<Map<String, String>> {

        private final ReceivedCredentialsProvider provider;

        CredentialsSupplier(ReceivedCredentialsProvider provider) {
            this.provider = provider;
        }

        @Override
        public Map<String, String> get() {
            return provider.current().map(c -> Map.of(
                    "aws_access_key_id", c.accessKeyId(),
                    "aws_secret_access_key", c.secretAccessKey(),
                    "aws_session_token", c.sessionToken(),
                    "expiration", c.expiration().toString())).orElse(Map.of());
        }

        @Override
        public String toString() {
            return provider.toString();
        }
    }
}
