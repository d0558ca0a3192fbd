package io.tokenhost.s3.receiver;

import io.tokenhost.api.Configured;
import io.tokenhost.api.ConfiguredComponent;
import io.tokenhost.api.DelegationTokenReceiver;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link S3CredentialsReceiver} per factory configuration of {@code io.tokenhost.s3.receiver}
 * (keys: {@link ReceiverConfig}), registered by hand with an API-free {@link Supplier}{@code
 * <Map<String,String>>} beside it (property {@value #SERVICE_PROPERTY}{@code =<service name>}).
 *
 * <p>An accepted configuration replaces the receiver as a whole: the old one is withdrawn (its
 * profile leaves the file) and the new one registered, so the host hands it the current credentials
 * at once. A refused configuration leaves the running receiver as it is, or none at all if no
 * configuration of this receiver was ever accepted.
 */
@Component(configurationPid = ReceiverSettings.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = ReceiverConfig.class, factory = true)
public class S3ReceiverComponent extends ConfiguredComponent<ReceiverSettings> {

    public static final String SERVICE_PROPERTY = "tokenhost.s3.credentials";
    private static final Logger LOG = LoggerFactory.getLogger(S3ReceiverComponent.class);

    public S3ReceiverComponent() {
        super(new Configured<>(
            ReceiverSettings.FACTORY_PID, ReceiverConfig.class, ReceiverSettings::parse, LOG::error, LOG::warn));
    }

    @Override
    protected AutoCloseable start(ReceiverSettings settings) {
        S3CredentialsReceiver started = new S3CredentialsReceiver(settings);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(SERVICE_PROPERTY, started.serviceName());
        AutoCloseable supplier = register(Supplier.class, started.supplier(), props);
        AutoCloseable receiver = register(DelegationTokenReceiver.class, started, null);
        LOG.info("{} active", started.describe());
        return () -> {
            receiver.close();
            supplier.close();
            withdraw(started);
        };
    }

    /** As the receiver leaves, its credentials leave the file and the in-bundle provider. */
    private static void withdraw(S3CredentialsReceiver leaving) {
        try {
            leaving.onTokensWithdrawn();
        } catch (Exception e) {
            LOG.warn("s3 service '{}': withdrawing the credentials failed: {}", leaving.serviceName(), e.toString());
        }
    }
}
