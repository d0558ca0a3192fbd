package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.ObtainedTokens;
import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.ServiceStatus.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, fast recovery: once a service has no valid tokens its retries wait at most {@code
 * renewal.retry.max-wait-without-tokens}, and failures retried sooner because of a cap do not
 * lengthen the backoff that comes after them. Driven by a manual clock and timer, nothing sleeps.
 */
class FastRecoveryTest {

    private static final Instant START = DeterministicManager.START;
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    /** The jitter's extremes and middle: uniform draws in [0, 1). */
    private static final double[] DRAWS = {0.0, 0.5, 0.999999};

    @Test
    void tenSecondTokensAreBackWithin30SecondsOfTheEndOfA60SecondOutage() {
        Duration worst = Duration.ZERO;
        StringBuilder figures = new StringBuilder();
        for (double draw : DRAWS) {
            Duration afterFirst = recoveryGap(() -> draw, ManagerSettings.DEFAULTS, Duration.ZERO, OUTAGE);
            // the outage starting at every phase of the 7.5 s renewal cycle, in 100 ms steps
            Duration worstForDraw = Duration.ZERO;
            for (long startMillis = 0; startMillis < 7_500; startMillis += 100) {
                worstForDraw = longer(worstForDraw,
                        recoveryGap(() -> draw, ManagerSettings.DEFAULTS, Duration.ofMillis(startMillis), OUTAGE));
            }
            figures.append(String.format("  jitter draw %.6f: back %6.3f s after the service for an outage starting"
                    + " right after the first obtain; at most %6.3f s whenever it starts%n",
                    draw, seconds(afterFirst), seconds(worstForDraw)));
            worst = longer(worst, worstForDraw);
        }
        System.out.printf("10 s tokens, renewal at 0.75, 60 s outage, default settings:%n%s", figures);

        assertThat(worst).isLessThanOrEqualTo(Duration.ofSeconds(30));
        // in fact within the default cap: the retry pending when the service returns is at most 15 s away
        assertThat(worst).isLessThanOrEqualTo(RenewalSettings.DEFAULTS.maxWaitWithoutTokens());
    }

    @Test
    void whenEverTheServiceReturnsTokensAreBackWithinTheCap() {
        Duration worst = Duration.ZERO;
        for (double draw : DRAWS) {
            // outages of 15 s to 75 s: the service returns at every phase of the retries
            for (long outageMillis = 15_000; outageMillis <= 75_000; outageMillis += 250) {
                worst = longer(worst, recoveryGap(() -> draw, ManagerSettings.DEFAULTS, Duration.ZERO,
                        Duration.ofMillis(outageMillis)));
            }
        }
        System.out.printf("10 s tokens, outages of 15 s to 75 s, default settings: back at most %.3f s after the"
                + " service%n", seconds(worst));

        assertThat(worst).isLessThanOrEqualTo(RenewalSettings.DEFAULTS.maxWaitWithoutTokens())
                .isGreaterThan(Duration.ofSeconds(14)); // the sweep did reach the cap's neighbourhood
    }

    @Test
    void withTheDefaultsTheRetriesAfterExpiryComeEvery12To15Seconds() {
        Recorded run = Recorded.start(() -> 0.5, ManagerSettings.DEFAULTS);
        run.provider.failure = new IllegalStateException("token service down");

        run.harness.timer.advanceTo(START.plus(OUTAGE));

        // renewal at 7.5 s; retries capped at half the remaining validity (1 s at the least) until the
        // expiry at 10 s withdraws the tokens and retries at once; then 15 s × (1 − 0.2 × 0.5) apart
        assertThat(run.waits()).containsExactly(millis(7_500), millis(1_250), millis(1_000), millis(250),
                millis(13_500), millis(13_500), millis(13_500));
        assertThat(run.status().consecutiveFailures()).isEqualTo(7); // token:status still counts every one
    }

    @Test
    void failuresCappedByTheRemainingValidityDoNotInflateTheBackoffThatFollows() {
        // the no-token cap switched off for this provider, to show the backoff the capped failures leave
        Recorded run = Recorded.start(() -> 0.5,
                new ManagerSettings(true, Map.of(), RenewalSettings.DEFAULTS, Map.of("hdfs", Duration.ofHours(1)),
                        ManagerSettings.DEFAULT_UPDATE_GRACE));
        run.provider.failure = new IllegalStateException("token service down");

        run.harness.timer.advanceTo(START.plus(OUTAGE));
        run.provider.failure = null;
        run.harness.timer.advanceTo(START.plusSeconds(100));

        // the renewal and the two retries after it were capped by the tokens' remaining validity
        // (1.25 s, then 1 s, the minimum); the expiry at 10 s retried at once; the wait after that is
        // the first backoff, 30 s, not 30 s × 2³ as when every failure doubled it
        assertThat(run.waits()).containsExactly(millis(7_500), millis(1_250), millis(1_000), millis(250),
                millis(30_000), millis(60_000));
        assertThat(run.attempts).last().isEqualTo(START.plusSeconds(100));
        assertThat(run.status().state()).isEqualTo(State.VALID);
    }

    @Test
    void longLivedTokensKeepTheExponentialBackoffThroughAShortOutage() {
        Recorded run = Recorded.start(() -> 0.5, ManagerSettings.DEFAULTS);
        run.provider.lifetime = Duration.ofHours(1);
        run.harness.timer.advanceTo(START.plusSeconds(3600)); // the 10 s tokens renewed into 1 h ones
        Instant renewal = run.status().nextObtain().orElseThrow();
        run.attempts.clear();
        run.provider.failure = new IllegalStateException("KDC unreachable");

        run.harness.timer.advanceTo(renewal.plus(Duration.ofMinutes(5)));
        assertThat(run.status().consecutiveFailures()).isEqualTo(4);
        assertThat(run.harness.manager.container().services()).containsExactly("hdfs"); // kept meanwhile
        run.provider.failure = null;
        run.harness.timer.advanceTo(renewal.plus(Duration.ofMinutes(10)));

        // the tokens stayed valid: 30 s doubling, neither the 15 s no-token cap nor half the validity
        assertThat(run.attempts).containsExactly(renewal, renewal.plusSeconds(30), renewal.plusSeconds(90),
                renewal.plusSeconds(210), renewal.plusSeconds(450));
        assertThat(run.status().state()).isEqualTo(State.VALID);
    }

    @Test
    void aProviderWithItsOwnCapRetriesByItWhileTheOthersUseTheGlobalOne() {
        ManagerSettings settings = new ManagerSettings(true, Map.of(), RenewalSettings.DEFAULTS,
                Map.of("s3", Duration.ofSeconds(5)), ManagerSettings.DEFAULT_UPDATE_GRACE);
        DeterministicManager harness = new DeterministicManager(() -> 0.5, settings);
        TestProvider hdfs = new TestProvider("hdfs", harness.clock);
        TestProvider s3 = new TestProvider("s3", harness.clock);
        hdfs.failure = new IllegalStateException("down");
        s3.failure = new IllegalStateException("down");

        harness.manager.addProvider(hdfs, "a");
        harness.manager.addProvider(s3, "b");
        harness.settle();

        assertThat(harness.manager.service("hdfs").orElseThrow().nextObtain()).contains(START.plusMillis(13_500));
        assertThat(harness.manager.service("s3").orElseThrow().nextObtain()).contains(START.plusMillis(4_500));
        harness.timer.advance(Duration.ofSeconds(60));
        assertThat(s3.calls).hasValue(14); // at 0, then every 4.5 s
        assertThat(hdfs.calls).hasValue(5); // at 0, then every 13.5 s

        // new settings apply to the retries planned from then on
        harness.manager.updateSettings(ManagerSettings.DEFAULTS);
        harness.timer.advance(Duration.ofSeconds(5));
        assertThat(harness.manager.service("s3").orElseThrow().nextObtain())
                .contains(START.plusMillis(63_000 + 13_500));
    }

    /**
     * From the service's return to the success of the first obtain after it, for an outage of
     * {@code outage} starting at {@code outageStart}.
     */
    private static Duration recoveryGap(DoubleSupplier random, ManagerSettings settings, Duration outageStart,
            Duration outage) {
        Recorded run = Recorded.start(random, settings);
        FakeTimer timer = run.harness.timer;
        timer.advanceTo(START.plus(outageStart));
        run.provider.failure = new IllegalStateException("token service down");
        Instant back = START.plus(outageStart).plus(outage);
        timer.advanceTo(back); // an obtain due exactly then still fails: the longer gap is measured
        assertThat(run.harness.manager.container().services()).as("tokens withdrawn during the outage").isEmpty();
        run.provider.failure = null;

        for (int step = 0; step < 100 && run.status().state() != State.VALID; step++) {
            timer.advanceTo(timer.nextAt().orElseThrow());
        }
        assertThat(run.status().state()).isEqualTo(State.VALID);
        return Duration.between(back, run.status().lastObtain().orElseThrow());
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static Duration millis(long millis) {
        return Duration.ofMillis(millis);
    }

    /** A manager with one provider, "hdfs", of 10 s tokens obtained at {@link #START}, that records when it is called. */
    private static final class Recorded {
        final DeterministicManager harness;
        final List<Instant> attempts = new ArrayList<>();
        final TestProvider provider;

        private Recorded(DoubleSupplier random, ManagerSettings settings) {
            harness = new DeterministicManager(random, settings);
            provider = new TestProvider("hdfs", harness.clock) {
                @Override
                public ObtainedTokens obtainDelegationTokens() {
                    attempts.add(harness.clock.instant());
                    return super.obtainDelegationTokens();
                }
            };
            provider.lifetime = TEN_SECONDS;
        }

        static Recorded start(DoubleSupplier random, ManagerSettings settings) {
            Recorded run = new Recorded(random, settings);
            run.harness.manager.addProvider(run.provider, "bundle");
            run.harness.settle();
            assertThat(run.status().state()).isEqualTo(State.VALID);
            return run;
        }

        ServiceStatus status() {
            return harness.manager.service("hdfs").orElseThrow();
        }

        /** The time between one attempt and the next. */
        List<Duration> waits() {
            List<Duration> waits = new ArrayList<>();
            for (int i = 1; i < attempts.size(); i++) {
                waits.add(Duration.between(attempts.get(i - 1), attempts.get(i)));
            }
            return waits;
        }
    }
}
