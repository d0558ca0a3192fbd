package io.tokenhost.s3.provider;

import io.tokenhost.api.Configured;
import io.tokenhost.api.ConfiguredComponent;
import io.tokenhost.api.ContextClassLoader;
import io.tokenhost.api.DelegationTokenProvider;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.util.VersionInfo;

/**
 * One S3 target per factory configuration of {@code io.tokenhost.s3} (e.g.
 * {@code conf/io.tokenhost.s3-analytics.cfg} gives service {@code s3.analytics}). Keys:
 * {@link ProviderConfig}, documented in {@code docs/s3.md}.
 *
 * <p>The component itself provides no service: Declarative Services would copy every
 * configuration property, {@code secret-key} included, into the service registration, where any
 * bundle or shell command could read it. It registers the {@link DelegationTokenProvider} itself,
 * with only non-secret properties.
 *
 * <p>An accepted configuration replaces the provider as a whole (the host sees the old one leave and
 * the new one arrive, and obtains with the new settings at once); a refused one leaves the running
 * provider as it is, or none at all if no configuration of this target was ever accepted.
 */
@Component(configurationPid = ProviderSettings.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = ProviderConfig.class, factory = true)
public class S3ProviderComponent extends ConfiguredComponent<ProviderSettings> {

    /** Service properties of the registered provider (none of them secret). */
    public static final String SERVICE_PROPERTY = "tokenhost.s3.service";
    public static final String KIND_PROPERTY = "tokenhost.s3.token-kind";

    private static final Logger LOG = LoggerFactory.getLogger(S3ProviderComponent.class);

    public S3ProviderComponent() {
        super(new Configured<>(
            ProviderSettings.FACTORY_PID, ProviderConfig.class, ProviderSettings::parse, LOG::error, LOG::warn));
    }

    @Override
    protected AutoCloseable start(ProviderSettings settings) throws Exception {
        StsCredentialsSource source = ContextClassLoader.call(S3ProviderComponent.class.getClassLoader(), () -> new StsCredentialsSource(settings));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(SERVICE_PROPERTY, settings.serviceName());
        props.put(KIND_PROPERTY, settings.kind().key());
        AutoCloseable registration = register(DelegationTokenProvider.class,
                new S3TokenProvider(settings.serviceName(), source), props);
        LOG.info("{} active (AWS SDK for Java {})", settings, VersionInfo.SDK_VERSION);
        return () -> {
            registration.close();
            ContextClassLoader.run(S3ProviderComponent.class.getClassLoader(), source::close);
        };
    }
}
