package io.tokenhost.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.distribution.TokenContainer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiValuesTest {

    @Test
    void obtainedTokensCopiesBytesAndHidesThemFromToString() {
        byte[] raw = {83, 69, 67};
        ObtainedTokens obtained = ObtainedTokens.of(raw, Instant.ofEpochSecond(100));
        raw[0] = 0;
        assertThat(obtained.tokens()).containsExactly(83, 69, 67);
        obtained.tokens()[1] = 0;
        assertThat(obtained.tokens()).containsExactly(83, 69, 67);
        assertThat(obtained.toString()).isEqualTo("ObtainedTokens[3 bytes, validUntil=1970-01-01T00:01:40Z]");
        assertThat(ObtainedTokens.withoutExpiry(raw).validUntil()).isEmpty();
    }

    @Test
    void serviceNamesFollowTheRule() {
        assertThat(ServiceNames.isValid("hadoopfs")).isTrue();
        assertThat(ServiceNames.isValid("s3.analytics-role_2")).isTrue();
        assertThat(ServiceNames.isValid("x".repeat(128))).isTrue();
        assertThat(ServiceNames.isValid("x".repeat(129))).isFalse();
        assertThat(ServiceNames.isValid("")).isFalse();
        assertThat(ServiceNames.isValid("-leading")).isFalse();
        assertThat(ServiceNames.isValid("has space")).isFalse();
        assertThat(ServiceNames.isValid(null)).isFalse();
        assertThatThrownBy(() -> ServiceNames.validate("bad\nname"))
                .hasMessage("invalid service name 'bad?name': use 1-128 of [A-Za-z0-9._-], starting with a letter or digit");
    }

    @Test
    void containerVersionsOnlyIncrease() {
        TokenContainer one = TokenContainer.empty().with(1, "a", new byte[] {1});
        TokenContainer two = one.with(2, "b", new byte[] {2}).without(3, "a");
        assertThat(two.version()).isEqualTo(3);
        assertThat(two.services()).containsExactly("b");
        assertThat(one.services()).containsExactly("a");
        assertThatThrownBy(() -> two.with(3, "c", new byte[0])).hasMessageContaining("must increase");
        assertThatThrownBy(() -> TokenContainer.of(-1, Map.of())).hasMessageContaining(">= 0");
    }

    @Test
    void containerRefusesOversizedTokens() {
        assertThatThrownBy(() -> TokenContainer.of(1, Map.of("a", new byte[TokenContainer.MAX_TOKEN_BYTES + 1])))
                .hasMessageContaining("at most 1048576");
    }

    @Test
    void fingerprintIsShortStableAndDistinguishesTokens() {
        assertThat(TokenFingerprint.of(new byte[] {1})).hasSize(12).isEqualTo(TokenFingerprint.of(new byte[] {1}));
        assertThat(TokenFingerprint.of(new byte[] {1})).isNotEqualTo(TokenFingerprint.of(new byte[] {2}));
        // SHA-256 of the empty input starts e3b0c44298fc
        assertThat(TokenFingerprint.of(new byte[0])).isEqualTo("e3b0c44298fc");
    }
}
