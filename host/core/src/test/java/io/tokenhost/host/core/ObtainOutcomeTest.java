package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.ObtainedTokens;
import io.tokenhost.api.distribution.TokenContainer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a provider's answer comes to, and which answers are refused. */
class ObtainOutcomeTest {

    private static final Instant NOW = DeterministicManager.START;

    @Test
    void usableTokensHaveNoProblem() {
        TestProvider provider = new TestProvider("hdfs", new ManualClock(NOW));

        ObtainOutcome outcome = ObtainOutcome.ask(provider);

        assertThat(outcome.tokens().validUntil()).contains(NOW.plus(Duration.ofHours(1)));
        assertThat(outcome.problemAt(NOW)).isEmpty();
        assertThat(outcome.problemAt(NOW.plus(Duration.ofHours(1))).orElseThrow()).contains("clock skew");
    }

    @Test
    void aProviderNeedingNoTokensIsNotAskedForThem() {
        TestProvider provider = new TestProvider("hdfs", new ManualClock(NOW));
        provider.required = false;

        assertThat(ObtainOutcome.ask(provider)).isSameAs(ObtainOutcome.NOT_REQUIRED);
        assertThat(provider.calls).hasValue(0);
        assertThat(ObtainOutcome.NOT_REQUIRED.problemAt(NOW)).isEmpty();
    }

    @Test
    void aThrowingProviderBecomesAOneLineError() {
        TestProvider provider = new TestProvider("hdfs", new ManualClock(NOW));
        provider.failure = new IllegalStateException("KDC\nunreachable");

        assertThat(ObtainOutcome.ask(provider).problemAt(NOW)).contains("IllegalStateException: KDC unreachable");
    }

    @Test
    void nullOrOversizedTokensAreRefused() {
        assertThat(ObtainOutcome.ask(answering(null)).problemAt(NOW))
                .contains("the provider returned no tokens (null)");

        byte[] tooMany = new byte[TokenContainer.MAX_TOKEN_BYTES + 1];
        assertThat(ObtainOutcome.ask(answering(ObtainedTokens.withoutExpiry(tooMany))).problemAt(NOW).orElseThrow())
                .contains((TokenContainer.MAX_TOKEN_BYTES + 1) + " bytes").contains("at most");
    }

    private static DelegationTokenProvider answering(ObtainedTokens tokens) {
        return new DelegationTokenProvider() {
            @Override
            public String serviceName() {
                return "hdfs";
            }

            @Override
            public ObtainedTokens obtainDelegationTokens() {
                return tokens;
            }
        };
    }
}
