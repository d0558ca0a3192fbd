package io.tokenhost.s3.provider;

import io.tokenhost.api.ContextClassLoader;
import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.ObtainedTokens;
import io.tokenhost.s3.token.CredentialsCodec;
import io.tokenhost.s3.token.SessionCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider service of one S3 target: temporary credentials from STS, valid until their
 * expiration. Token bytes: {@link CredentialsCodec}.
 */
final class S3TokenProvider implements DelegationTokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(S3TokenProvider.class);

    private final String serviceName;
    private final StsCredentialsSource source;

    S3TokenProvider(String serviceName, StsCredentialsSource source) {
        this.serviceName = serviceName;
        this.source = source;
    }

    @Override
    public String serviceName() {
        return serviceName;
    }

    @Override
    public ObtainedTokens obtainDelegationTokens() throws Exception {
        SessionCredentials credentials = ContextClassLoader.call(S3TokenProvider.class.getClassLoader(), source::obtain);
        LOG.debug("s3 service '{}': obtained {}", serviceName, credentials);
        return ObtainedTokens.of(CredentialsCodec.encode(credentials), credentials.expiration());
    }

    @Override
    public String toString() {
        return "S3TokenProvider[" + serviceName + "]";
    }
}
