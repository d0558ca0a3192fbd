package io.tokenhost.itests.s3;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A long-running AWS SDK for Java v2 client in its own JVM, nothing of Tokenhost on its class path:
 * {@code ProfileCredentialsProvider} on the profile named by {@code AWS_PROFILE} in
 * {@code AWS_SHARED_CREDENTIALS_FILE}, one {@link S3Client} made at the start. Every second it puts
 * and gets one object and prints {@code OK <fingerprint of the access key id>} or
 * {@code FAIL <error>}; never prints keys. Arguments: {@code endpoint bucket key [once]}; with
 * {@code once} the profile file is loaded once at the start ({@code ProfileFile.defaultProfileFile()},
 * as many applications build it), otherwise {@code ProfileCredentialsProvider.create()} (which, in SDK
 * v2, reads the file again when it changes). Runs until killed.
 */
public final class LongRunningS3Client {

    private LongRunningS3Client() {
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String bucket = args[1];
        String key = args[2];
        AwsCredentialsProvider credentials = args.length > 3 && args[3].equals("once")
                ? ProfileCredentialsProvider.builder().profileFile(ProfileFile.defaultProfileFile())
                        .profileName(System.getenv("AWS_PROFILE")).build()
                : ProfileCredentialsProvider.create();
        try (S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(endpoint).forcePathStyle(true).credentialsProvider(credentials)
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1))).build()) {
            System.out.println("started");
            for (int n = 1; ; n++) {
                try {
                    // the same provider object the client resolves through: the key it signs with
                    String used = credentials.resolveCredentials().accessKeyId();
                    String body = "call " + n;
                    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
                    String got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
                    System.out.println(got.equals(body) ? "OK " + fingerprint(used) : "FAIL read back something else");
                } catch (S3Exception e) {
                    System.out.println("FAIL " + e.awsErrorDetails().errorCode());
                } catch (SdkException e) {
                    String message = String.valueOf(e.getMessage());
                    System.out.println("FAIL " + e.getClass().getSimpleName() + ": "
                            + message.lines().findFirst().orElse("").substring(0, Math.min(200, message.length())));
                }
                System.out.flush();
                Thread.sleep(1000);
            }
        }
    }

    private static String fingerprint(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest).substring(0, 12);
    }
}
