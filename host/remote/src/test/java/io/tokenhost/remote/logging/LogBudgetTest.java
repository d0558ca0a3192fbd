package io.tokenhost.remote.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** At most N lines a minute, and the next line logged says how many were left out. */
class LogBudgetTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-28T12:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };

    /**
     * Kills: the per-minute limit's boundary ({@code > perMinute}), the window length and its
     * boundary ({@code >= 1 minute}), and the left-out count not being reset or not reported.
     */
    @Test
    void tenAMinuteThenTheNextLineLoggedCountsTheOnesLeftOut() {
        LogBudget budget = new LogBudget(10, clock);
        for (int i = 0; i < 10; i++) {
            assertThat(budget.take()).as("line " + (i + 1)).isZero();
        }
        for (int i = 0; i < 5; i++) {
            assertThat(budget.take()).as("over the budget").isEqualTo(-1);
        }
        now.set(now.get().plus(Duration.ofSeconds(59)));
        assertThat(budget.take()).as("still the same minute").isEqualTo(-1);

        now.set(now.get().plus(Duration.ofSeconds(1)));

        assertThat(budget.take()).as("a new minute: logged, naming the 6 left out").isEqualTo(6);
        assertThat(budget.take()).as("and they are counted once").isZero();
    }

    @Test
    void theLeftOutCountReadsAsAPhraseOnlyWhenThereIsOne() {
        assertThat(LogBudget.leftOut(6)).isEqualTo(" (6 more not logged)");
        assertThat(LogBudget.leftOut(1)).isEqualTo(" (1 more not logged)");
        assertThat(LogBudget.leftOut(0)).isEmpty();
    }
}
