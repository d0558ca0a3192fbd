package io.tokenhost.s3.receiver;

import io.tokenhost.s3.token.SessionCredentials;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The SDK v2 credentials provider for S3 clients built inside this bundle: always the latest
 * distributed credentials. Fails clearly when none are held (not yet received, or withdrawn).
 */
public final class ReceivedCredentialsProvider implements AwsCredentialsProvider {

    private final String serviceName;
    private volatile SessionCredentials current;

    ReceivedCredentialsProvider(String serviceName) {
        this.serviceName = serviceName;
    }

    void update(SessionCredentials credentials) {
        current = credentials;
    }

    void clear() {
        current = null;
    }

    Optional<SessionCredentials> current() {
        return Optional.ofNullable(current);
    }

    @Override
    public AwsCredentials resolveCredentials() {
        SessionCredentials c = current;
        if (c == null) {
            throw new IllegalStateException("no temporary credentials for service '" + serviceName
                    + "' (none received yet, or withdrawn)");
        }
        return AwsSessionCredentials.builder().accessKeyId(c.accessKeyId()).secretAccessKey(c.secretAccessKey())
                .sessionToken(c.sessionToken()).expirationTime(c.expiration()).build();
    }

    @Override
    public String toString() {
        SessionCredentials c = current;
        return "ReceivedCredentialsProvider[" + serviceName + ", "
                + (c == null ? "none" : c.maskedAccessKeyId() + " until " + c.expiration()) + "]";
    }
}
