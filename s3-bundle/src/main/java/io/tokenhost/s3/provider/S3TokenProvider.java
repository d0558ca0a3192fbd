package io.tokenhost.s3.provider;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.ObtainedTokens;
import io.tokenhost.s3.config.Tccl;
import io.tokenhost.s3.token.CredentialsCodec;
import io.tokenhost.s3.token.SessionCredentials;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.util.VersionInfo;

/**
 * One S3 target: a provider of temporary AWS credentials per factory configuration of
 * {@code io.tokenhost.s3} (e.g. {@code conf/io.tokenhost.s3-analytics.cfg} gives service
 * {@code s3.analytics}). Valid until the credentials' expiration. Keys are documented in
 * {@code docs/s3.md}.
 */
@Component(configurationPid = ProviderSettings.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public class S3TokenProvider implements DelegationTokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(S3TokenProvider.class);

    private final ProviderSettings settings;
    private final StsCredentialsSource source;

    @Activate
    public S3TokenProvider(Map<String, Object> properties) throws Exception {
        this.settings = ProviderSettings.parse(properties);
        this.source = Tccl.call(() -> new StsCredentialsSource(settings));
        LOG.info("{} active (AWS SDK for Java {})", settings, VersionInfo.SDK_VERSION);
    }

    @Override
    public String serviceName() {
        return settings.serviceName();
    }

    @Override
    public ObtainedTokens obtainDelegationTokens() throws Exception {
        SessionCredentials credentials = Tccl.call(source::obtain);
        LOG.debug("s3 service '{}': obtained {}", settings.serviceName(), credentials);
        return ObtainedTokens.of(CredentialsCodec.encode(credentials), credentials.expiration());
    }

    @Deactivate
    void deactivate() {
        Tccl.run(source::close);
    }
}
