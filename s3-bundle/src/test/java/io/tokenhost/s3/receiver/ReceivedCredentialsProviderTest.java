package io.tokenhost.s3.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.s3.token.SessionCredentials;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class ReceivedCredentialsProviderTest {

    @Test
    void servesTheLatestCredentialsAndFailsClearlyWithoutThem() {
        ReceivedCredentialsProvider provider = new ReceivedCredentialsProvider("s3.lake");
        assertThatThrownBy(provider::resolveCredentials).hasMessageContaining("s3.lake").hasMessageContaining("none received");

        Instant expiration = Instant.parse("2026-11-23T12:00:00Z");
        provider.update(new SessionCredentials("ASIAFIRST", "secret1", "token1", expiration));
        provider.update(new SessionCredentials("ASIASECOND", "secret2", "token2", expiration));
        AwsSessionCredentials resolved = (AwsSessionCredentials) provider.resolveCredentials();
        assertThat(resolved.accessKeyId()).isEqualTo("ASIASECOND");
        assertThat(resolved.secretAccessKey()).isEqualTo("secret2");
        assertThat(resolved.sessionToken()).isEqualTo("token2");
        assertThat(resolved.expirationTime()).contains(expiration);
        assertThat(provider.toString()).doesNotContain("secret2").doesNotContain("token2").doesNotContain("ASIASECOND");

        provider.clear();
        assertThatThrownBy(provider::resolveCredentials).hasMessageContaining("withdrawn");
    }
}
