package io.tokenhost.itests.s3;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The worker: a separate JVM with only the plain AWS SDK on its class path and no Tokenhost
 * configuration. Credentials come from the SDK's default chain, i.e. the shared-credentials file
 * named by {@code AWS_SHARED_CREDENTIALS_FILE} and {@code AWS_PROFILE}.
 *
 * <p>Arguments: {@code mode endpoint bucket key}. Modes: {@code roundtrip} (put then get),
 * {@code wrong-token} (the file's key and secret with an altered session token), {@code unknown-key}
 * (a key id the server never issued). Prints {@code PUT ok}, {@code GET <content>} or
 * {@code REFUSED <error code>}; never prints credentials.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        URI endpoint = URI.create(args[1]);
        String bucket = args[2];
        String key = args[3];
        AwsCredentialsProvider fromFile = DefaultCredentialsProvider.builder().build();
        AwsCredentialsProvider credentials = switch (mode) {
            case "roundtrip" -> fromFile;
            case "wrong-token" -> {
                AwsSessionCredentials real = (AwsSessionCredentials) fromFile.resolveCredentials();
                yield StaticCredentialsProvider.create(AwsSessionCredentials.create(real.accessKeyId(),
                        real.secretAccessKey(), real.sessionToken().substring(1) + "A"));
            }
            case "unknown-key" -> {
                AwsCredentials real = fromFile.resolveCredentials();
                yield StaticCredentialsProvider.create(AwsSessionCredentials.create("ASIA" + UUID.randomUUID()
                        .toString().replace("-", "").substring(0, 16).toUpperCase(), real.secretAccessKey(),
                        ((AwsSessionCredentials) real).sessionToken()));
            }
            default -> throw new IllegalArgumentException("mode " + mode);
        };
        try (S3Client s3 = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .credentialsProvider(credentials)
                .build()) {
            String content = "written by worker pid " + ProcessHandle.current().pid();
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content));
            System.out.println("PUT ok");
            String got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
            System.out.println("GET " + got);
            System.out.println(got.equals(content) ? "MATCH" : "MISMATCH");
        } catch (S3Exception e) {
            System.out.println("REFUSED " + e.awsErrorDetails().errorCode() + " " + e.statusCode());
        }
    }
}
