package io.tokenhost.itests.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

    private final Await shortly = Await.atMost(Duration.ofMillis(300)).every(Duration.ofMillis(5));

    @Test
    void untilReturnsOnceTheConditionHolds() throws Exception {
        AtomicInteger polls = new AtomicInteger();

        shortly.until("the third poll", () -> polls.incrementAndGet() == 3);

        assertThat(polls).hasValue(3);
    }

    @Test
    void aConditionThatNeverHoldsFailsNamingWhatWasAwaited() {
        assertThatThrownBy(() -> shortly.until("the impossible", () -> false))
                .isInstanceOf(AssertionError.class)
                .hasMessage("timed out after 300 ms waiting for the impossible");
    }

    @Test
    void valueReturnsWhatTheProbeFound() throws Exception {
        AtomicInteger polls = new AtomicInteger();

        String found = shortly.value("a value", () -> polls.incrementAndGet() < 2 ? Optional.empty() : Optional.of("it"));

        assertThat(found).isEqualTo("it");
    }

    @Test
    void anExceptionCountsAsNotYetAndTheLastOneIsTheCauseOfATimeout() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        assertThat(shortly.value("recovery", () -> {
            if (polls.incrementAndGet() < 3) {
                throw new IOException("not listening yet");
            }
            return Optional.of(polls.get());
        })).isEqualTo(3);

        assertThatThrownBy(() -> shortly.until("a file", () -> {
            throw new IOException("no such file");
        })).isInstanceOf(AssertionError.class).hasMessageContaining("waiting for a file")
                .cause().isInstanceOf(IOException.class).hasMessage("no such file");
    }

    @Test
    void aFailedAssertionEndsTheWaitAtOnce() {
        AtomicInteger polls = new AtomicInteger();

        assertThatThrownBy(() -> Await.atMost(Duration.ofSeconds(30)).until("never", () -> {
            polls.incrementAndGet();
            throw new AssertionError("the host exited");
        })).isInstanceOf(AssertionError.class).hasMessage("the host exited");
        assertThat(polls).hasValue(1);
    }

    @Test
    void sampledWaitsReturnTheAcceptedSampleAndShowTheLastOneOnTimeout() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        assertThat(shortly.until("three", polls::incrementAndGet, n -> n >= 3)).isEqualTo(3);

        assertThatThrownBy(() -> shortly.until("a negative number", () -> 7, n -> n < 0))
                .isInstanceOf(AssertionError.class)
                .hasMessage("timed out after 300 ms waiting for a negative number; last seen: 7");
    }

    @Test
    void waitsInWholeSecondsAreDescribedInSeconds() {
        assertThatThrownBy(() -> Await.atMost(Duration.ofSeconds(1)).every(Duration.ofMillis(200)).until("x", () -> false))
                .hasMessage("timed out after 1 s waiting for x");
    }

    @Test
    void holdsForChecksThroughoutThePeriodAndFailsAtTheFirstLapse() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        long start = System.nanoTime();
        Await.holdsFor(Duration.ofMillis(300), "still there", () -> checks.incrementAndGet() > 0);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(checks.get()).as("checked at the start, every 100 ms and at the end").isBetween(3, 6);

        AtomicInteger lapse = new AtomicInteger();
        assertThatThrownBy(() -> Await.holdsFor(Duration.ofSeconds(30), "the tokens kept", () -> lapse.incrementAndGet() < 2))
                .isInstanceOf(AssertionError.class).hasMessageStartingWith("the tokens kept: no longer so after ")
                .hasMessageEndingWith(" ms of 30 s");
        assertThat(lapse).hasValue(2);

        assertThatThrownBy(() -> Await.holdsFor(Duration.ofSeconds(30), "a file", () -> {
            throw new IOException("gone");
        })).isInstanceOf(AssertionError.class).hasMessageStartingWith("a file: the check failed after ")
                .cause().isInstanceOf(IOException.class);
    }
}
