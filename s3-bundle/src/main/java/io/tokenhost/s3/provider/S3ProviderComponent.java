package io.tokenhost.s3.provider;

import io.tokenhost.api.ContextClassLoader;
import io.tokenhost.api.DelegationTokenProvider;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.util.VersionInfo;

/**
 * One S3 target per factory configuration of {@code io.tokenhost.s3} (e.g.
 * {@code conf/io.tokenhost.s3-analytics.cfg} gives service {@code s3.analytics}). Keys are
 * documented in {@code docs/s3.md}.
 *
 * <p>The component itself provides no service: Declarative Services would copy every
 * configuration property, {@code secret-key} included, into the service registration, where any
 * bundle or shell command could read it. It registers the {@link DelegationTokenProvider} itself,
 * with only non-secret properties.
 */
@Component(configurationPid = ProviderSettings.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
public class S3ProviderComponent {

    /** Service properties of the registered provider (none of them secret). */
    public static final String SERVICE_PROPERTY = "tokenhost.s3.service";
    public static final String KIND_PROPERTY = "tokenhost.s3.token-kind";

    private static final Logger LOG = LoggerFactory.getLogger(S3ProviderComponent.class);

    private final StsCredentialsSource source;
    private final ServiceRegistration<DelegationTokenProvider> registration;

    @Activate
    public S3ProviderComponent(BundleContext context, Map<String, Object> properties) throws Exception {
        ProviderSettings settings = ProviderSettings.parse(properties);
        this.source = ContextClassLoader.call(S3ProviderComponent.class.getClassLoader(), () -> new StsCredentialsSource(settings));
        LOG.info("{} active (AWS SDK for Java {})", settings, VersionInfo.SDK_VERSION);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(SERVICE_PROPERTY, settings.serviceName());
        props.put(KIND_PROPERTY, settings.kind().key());
        this.registration = context.registerService(DelegationTokenProvider.class,
                new S3TokenProvider(settings.serviceName(), source), props);
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping
        }
        ContextClassLoader.run(S3ProviderComponent.class.getClassLoader(), source::close);
    }
}
