package io.tokenhost.remote.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The worker's reconnect backoff (README: "reconnects with jittered exponential backoff"). */
class BackoffTest {

    private static List<Long> delays(Backoff backoff, int n) {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            millis.add(backoff.next().toMillis());
        }
        return millis;
    }

    /** Kills: changes to the doubling loop's bounds, the cap, and the attempt counter. */
    @Test
    void delaysDoubleFromTheInitialOneUpToTheMaximumAndStayThere() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), 0.5, () -> 0.5);

        assertThat(delays(backoff, 7)).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L, 1000L);
        assertThat(backoff.attempts()).isEqualTo(7);
    }

    /** Kills: the jitter's sign and scale (a draw of 0 gives half, a draw near 1 one and a half times). */
    @Test
    void theJitterSpreadsEachDelayByTheGivenFractionEitherWay() {
        assertThat(new Backoff(Duration.ofMillis(1000), Duration.ofSeconds(30), 0.5, () -> 0.0).next())
                .isEqualTo(Duration.ofMillis(500));
        assertThat(new Backoff(Duration.ofMillis(1000), Duration.ofSeconds(30), 0.5, () -> 0.999).next())
                .isEqualTo(Duration.ofMillis(1499));
        assertThat(new Backoff(Duration.ofMillis(1000), Duration.ofSeconds(30), 0.2, () -> 0.0).next())
                .isEqualTo(Duration.ofMillis(800));
        assertThat(new Backoff(Duration.ofMillis(1000), Duration.ofSeconds(30), 0, () -> 0.0).next())
                .isEqualTo(Duration.ofMillis(1000));
        assertThat(new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1, () -> 0.0).next())
                .as("never below 1 ms").isEqualTo(Duration.ofMillis(1));
    }

    /** Kills: {@code reset()} not clearing the count (a worker that reconnected would wait the long delay next time). */
    @Test
    void resetStartsAgainFromTheInitialDelay() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), 0.5, () -> 0.5);
        delays(backoff, 5);

        backoff.reset();

        assertThat(backoff.attempts()).isZero();
        assertThat(delays(backoff, 2)).containsExactly(100L, 200L);
    }

    /** Kills: {@code first()} counting an attempt, and {@code fresh()} sharing its count with the original. */
    @Test
    void firstIsTheInitialDelayWithoutCountingAndFreshCountsOnItsOwn() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), 0.5, () -> 0.0);
        assertThat(backoff.first()).isEqualTo(Duration.ofMillis(50));
        assertThat(backoff.first()).isEqualTo(Duration.ofMillis(50));
        assertThat(backoff.attempts()).isZero();
        delays(backoff, 3);

        Backoff fresh = backoff.fresh();

        assertThat(fresh.attempts()).isZero();
        assertThat(fresh.next()).isEqualTo(Duration.ofMillis(50));
        assertThat(backoff.attempts()).isEqualTo(3);
        assertThat(new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1, () -> 0.0).first())
                .as("never below 1 ms").isEqualTo(Duration.ofMillis(1));
    }
}
