package io.tokenhost.s3.provider;

import io.tokenhost.s3.token.SessionCredentials;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Calls STS with the manager's identity. One instance per configured provider; the HTTP client
 * is chosen explicitly (URLConnection) so that no ServiceLoader lookup decides it inside OSGi.
 * Callers set the thread context class loader (see {@code ContextClassLoader}).
 */
final class StsCredentialsSource implements AutoCloseable {

    private static final Pattern ERROR_CODE = Pattern.compile("<Code>([A-Za-z0-9_.-]{1,64})</Code>");

    private final ProviderSettings settings;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider identity;
    private final StsClient sts;

    StsCredentialsSource(ProviderSettings settings) {
        this.settings = settings;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(settings.timeout())
                .socketTimeout(settings.timeout())
                .build();
        this.identity = settings.staticKeys()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        settings.accessKey().orElseThrow(), settings.secretKey().orElseThrow()))
                : DefaultCredentialsProvider.builder().build();
        StsClientBuilder builder = StsClient.builder()
                .httpClient(http)
                .region(Region.of(settings.region()))
                .credentialsProvider(identity)
                // the host retries with backoff; one SDK attempt keeps a dead endpoint's failure quick
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))
                        .apiCallTimeout(settings.timeout()));
        settings.endpoint().ifPresent(builder::endpointOverride);
        this.sts = builder.build();
    }

    SessionCredentials obtain() throws IOException {
        try {
            Credentials c = switch (settings.kind()) {
                case SESSION_TOKEN -> sts.getSessionToken(r -> r.durationSeconds(seconds())).credentials();
                case ASSUME_ROLE -> sts.assumeRole(assumeRoleRequest()).credentials();
            };
            return new SessionCredentials(c.accessKeyId(), c.secretAccessKey(), c.sessionToken(), c.expiration());
        } catch (SdkException e) {
            throw new IOException("STS " + (settings.kind() == TokenKind.ASSUME_ROLE ? "AssumeRole" : "GetSessionToken")
                    + " failed for service '" + settings.serviceName() + "': " + safeMessage(e));
        }
    }

    private AssumeRoleRequest assumeRoleRequest() {
        AssumeRoleRequest.Builder r = AssumeRoleRequest.builder()
                .roleArn(settings.roleArn().orElseThrow())
                .roleSessionName(settings.roleSessionName())
                .durationSeconds(seconds());
        settings.externalId().ifPresent(r::externalId);
        settings.policy().ifPresent(r::policy);
        return r.build();
    }

    private int seconds() {
        return (int) settings.duration().toSeconds();
    }

    /** The SDK's message with any configured key material cut out, just in case. */
    private String safeMessage(SdkException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            message = errorCode(service) + " (HTTP " + service.statusCode() + "): " + message;
        }
        for (String secret : new String[] {settings.accessKey().orElse(null), settings.secretKey().orElse(null)}) {
            if (secret != null && !secret.isEmpty()) {
                message = message.replace(secret, "****");
            }
        }
        return message.replaceAll("\\p{Cntrl}", " ");
    }

    /**
     * The error code; read from the raw body when the SDK could not unmarshal it (some
     * STS-compatible endpoints answer in a slightly different XML shape).
     */
    private static String errorCode(AwsServiceException e) {
        String code = e.awsErrorDetails().errorCode();
        if (code != null) {
            return code;
        }
        SdkBytes raw = e.awsErrorDetails().rawResponse();
        Matcher m = ERROR_CODE.matcher(raw == null ? "" : raw.asUtf8String());
        return m.find() ? m.group(1) : "unknown error";
    }

    @Override
    public void close() {
        sts.close();
        http.close();
        if (identity instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing held that matters
            }
        }
    }
}
