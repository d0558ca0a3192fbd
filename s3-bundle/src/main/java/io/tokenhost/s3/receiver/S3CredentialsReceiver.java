package io.tokenhost.s3.receiver;

import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.s3.token.CredentialsCodec;
import io.tokenhost.s3.token.SessionCredentials;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the temporary credentials of one s3 service, per factory configuration of
 * {@code io.tokenhost.s3.receiver}:
 * <ul>
 * <li>{@link #credentialsProvider()}: an SDK v2 {@code AwsCredentialsProvider} for S3 clients in
 * this bundle (the SDK is not exported, so its types cannot cross bundles);</li>
 * <li>an OSGi service of the JDK type {@link Supplier}{@code <Map<String,String>>} with property
 * {@value #SERVICE_PROPERTY}{@code =<service name>}, for other bundles, which wrap the map in
 * their own SDK's types; the map is empty while no credentials are held;</li>
 * <li>when {@code credentials-file} is set, a profile in an AWS shared-credentials file for other
 * processes ({@code AWS_SHARED_CREDENTIALS_FILE}, {@code AWS_PROFILE}).</li>
 * </ul>
 * All three are refreshed on every update and cleared on withdrawal.
 */
@Component(configurationPid = ReceiverSettings.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public class S3CredentialsReceiver implements DelegationTokenReceiver {

    public static final String SERVICE_PROPERTY = "tokenhost.s3.credentials";
    private static final Logger LOG = LoggerFactory.getLogger(S3CredentialsReceiver.class);

    private final ReceiverSettings settings;
    private final ReceivedCredentialsProvider provider;
    private final Optional<SharedCredentialsFile> file;
    private final ServiceRegistration<?> supplier;

    @Activate
    public S3CredentialsReceiver(BundleContext context, Map<String, Object> properties) {
        this.settings = ReceiverSettings.parse(properties);
        this.provider = new ReceivedCredentialsProvider(settings.serviceName());
        this.file = settings.credentialsFile().map(p -> new SharedCredentialsFile(p, settings.profile()));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(SERVICE_PROPERTY, settings.serviceName());
        this.supplier = context.registerService(Supplier.class.getName(), new CredentialsSupplier(provider), props);
        LOG.info("s3 receiver for service '{}' active{}", settings.serviceName(),
                file.map(f -> ", profile '" + settings.profile() + "' in " + f.path()).orElse(", memory only"));
    }

    @Override
    public String serviceName() {
        return settings.serviceName();
    }

    @Override
    public void onNewTokensObtained(byte[] tokens) throws Exception {
        SessionCredentials credentials = CredentialsCodec.decode(tokens);
        // in-process consumers get the new credentials even if the file cannot be written
        provider.update(credentials);
        if (file.isPresent()) {
            file.get().write(credentials, settings.serviceName());
        }
        LOG.info("s3 service '{}': installed {}", settings.serviceName(), credentials);
    }

    @Override
    public void onTokensWithdrawn() throws Exception {
        provider.clear();
        if (file.isPresent()) {
            file.get().remove();
        }
        LOG.info("s3 service '{}': credentials withdrawn", settings.serviceName());
    }

    /** For S3 clients inside this bundle: the latest credentials of this receiver's service. */
    public ReceivedCredentialsProvider credentialsProvider() {
        return provider;
    }

    @Deactivate
    void deactivate() throws Exception {
        try {
            supplier.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
        onTokensWithdrawn();
    }

    /** The API-free view other bundles use: JDK types only. */
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
