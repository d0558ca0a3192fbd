package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The mailbox on a real executor with several threads (the host's delivery pool): calls to one
 * consumer never overlap, and a busy consumer is handed only the newest item next. A
 * single-threaded executor would serialise the calls by itself and hide a missing guard.
 */
class LatestOnlyMailboxTest {

    private static final Await AWAIT = Await.atMost(Duration.ofSeconds(10)).every(Duration.ofMillis(2));

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    /** Tasks handed to the pool: one per drain started. */
    private final AtomicInteger drainsStarted = new AtomicInteger();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private <T> LatestOnlyMailbox<T> mailbox(java.util.function.Consumer<T> consumer) {
        return new LatestOnlyMailbox<>(task -> {
            drainsStarted.incrementAndGet();
            pool.execute(task);
        }, consumer);
    }

    /**
     * Kills: deleting the {@code if (draining) return;} guard in {@code offer} (every offer then
     * starts its own drain on another pool thread, and the consumer is called concurrently), and
     * making {@code drain} hand on every item instead of the newest.
     */
    @Test
    void itemsOfferedWhileTheConsumerIsBusyStartNoSecondCallAndCollapseIntoTheNewest() throws Exception {
        BlockedInFirstCall consumer = new BlockedInFirstCall();
        LatestOnlyMailbox<Integer> mailbox = mailbox(consumer);
        try {
            mailbox.offer(1);
            assertThat(consumer.inFirstCall.await(10, TimeUnit.SECONDS)).as("the first call started").isTrue();

            for (int item = 2; item <= 5; item++) {
                mailbox.offer(item);
            }

            assertThat(drainsStarted).as("no second drain while the first call runs").hasValue(1);
            assertThat(consumer.handed).containsExactly(1);
        } finally {
            consumer.release.countDown();
        }
        AWAIT.until("the newest item handed on", () -> consumer.handed.size() == 2);
        assertThat(consumer.handed).containsExactly(1, 5);
        AWAIT.until("the drain ended", () -> {
            mailbox.offer(6); // starts a new drain only once the old one ended
            return drainsStarted.get() == 2;
        });
    }

    /** Kills: deleting the guard (see above), under load from several offering threads at once. */
    @Test
    void callsNeverOverlapWhenManyThreadsOfferAtOnce() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        List<Integer> lastSeen = new CopyOnWriteArrayList<>();
        LatestOnlyMailbox<Integer> mailbox = mailbox(item -> {
            if (inside.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            calls.incrementAndGet();
            lastSeen.add(item);
            java.util.concurrent.locks.LockSupport.parkNanos(20_000); // a call takes a while: room to overlap
            inside.decrementAndGet();
        });
        ExecutorService offering = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < 4; t++) {
                int thread = t;
                offering.execute(() -> {
                    await(start);
                    for (int i = 0; i < 2_000; i++) {
                        mailbox.offer(thread * 10_000 + i);
                    }
                });
            }
            start.countDown();
            offering.shutdown();
            assertThat(offering.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            offering.shutdownNow();
        }
        mailbox.offer(-1); // the last word
        AWAIT.until("the last item handed on", () -> !lastSeen.isEmpty() && lastSeen.get(lastSeen.size() - 1) == -1);
        assertThat(calls.get()).as("the consumer was called").isPositive();
        assertThat(overlaps).as("calls that overlapped another").hasValue(0);
    }

    /** Kills: {@code close()} not clearing what is pending, and {@code drain} not checking {@code closed}. */
    @Test
    void afterCloseNothingMoreIsHandedOnNotEvenWhatWasPending() throws Exception {
        BlockedInFirstCall consumer = new BlockedInFirstCall();
        LatestOnlyMailbox<Integer> mailbox = mailbox(consumer);
        try {
            mailbox.offer(1);
            assertThat(consumer.inFirstCall.await(10, TimeUnit.SECONDS)).isTrue();
            mailbox.offer(2);
            mailbox.close();
        } finally {
            consumer.release.countDown();
        }
        mailbox.offer(3);
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(consumer.handed).containsExactly(1);
        assertThat(drainsStarted).hasValue(1);
    }

    /** Records every item; its call for item 1 blocks until {@code release}. */
    private static final class BlockedInFirstCall implements java.util.function.Consumer<Integer> {
        final CountDownLatch inFirstCall = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Integer> handed = new CopyOnWriteArrayList<>();

        @Override
        public void accept(Integer item) {
            handed.add(item);
            if (item == 1) {
                inFirstCall.countDown();
                await(release);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
