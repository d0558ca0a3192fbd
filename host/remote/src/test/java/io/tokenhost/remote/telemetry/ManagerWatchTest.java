package io.tokenhost.remote.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.telemetry.TokenEvents;
import io.tokenhost.remote.Await;
import io.tokenhost.remote.access.AccessPolicy;
import io.tokenhost.remote.manager.ListenOptions;
import io.tokenhost.remote.manager.ManagerServer;
import io.tokenhost.remote.worker.Backoff;
import io.tokenhost.remote.worker.ConnectionOptions;
import io.tokenhost.remote.worker.ManagerAddress;
import io.tokenhost.remote.worker.WorkerClient;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ManagerWatch} in front of a real {@link ManagerServer} with real workers on loopback (the
 * watch's own clock is the test's, so the durations it reports are exact): a push is timed until
 * every worker connected at the push acknowledged it, a worker that has not yet is counted behind,
 * and with high availability the role follows the server's term, a standby pushes nothing, and a
 * new term forgets what the old one pushed. About 2 s.
 */
class ManagerWatchTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final TestClock clock = new TestClock();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final TokenEvents recorder = new TokenEvents() {
        @Override
        public void containerPushed(long version, int workers) {
            events.add("pushed " + version + " to " + workers);
        }

        @Override
        public void containerAcknowledged(long version, int workers, Duration sincePush) {
            events.add("acknowledged " + version + " by " + workers + " after " + sincePush.toSeconds() + " s");
        }
    };
    /** Container versions a slow worker's sink waits on until released (a worker acknowledges after its sink). */
    private final Map<Long, CountDownLatch> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        held.values().forEach(CountDownLatch::countDown);
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        scheduler.shutdownNow();
    }

    @Test
    void aPushIsTimedUntilEveryWorkerConnectedAtThePushHasIt() throws Exception {
        ManagerServer server = started(new ManagerServer(listen(), Clock.systemUTC()));
        ManagerWatch watch = new ManagerWatch(server, clock, recorder, "manager");
        server.onAcknowledgement(watch::acknowledged);
        assertThat(watch.role()).isEqualTo("manager");
        assertThat(watch.standby()).isFalse();
        worker(server, "w1", false);
        worker(server, "slow", true);
        Await.until(() -> watch.workersConnected() == 2, WAIT, "both workers connected");

        CountDownLatch release = hold(1);
        watch.onContainer(container(1));
        Await.until(() -> server.workers().stream().anyMatch(w -> w.workerId().equals("w1") && w.ackedVersion() == 1),
                WAIT, "w1 acknowledged version 1");
        clock.advance(Duration.ofSeconds(3));
        assertThat(watch.workersBehind()).as("the slow worker").isEqualTo(1);
        assertThat(watch.oldestUnacknowledged()).contains(Duration.ofSeconds(3));
        assertThat(events).containsExactly("pushed 1 to 2");

        release.countDown();
        Await.until(() -> events.size() == 2, WAIT, "the push acknowledged by both");
        assertThat(events).containsExactly("pushed 1 to 2", "acknowledged 1 by 2 after 3 s");
        assertThat(watch.workersBehind()).isZero();
        assertThat(watch.oldestUnacknowledged()).isEmpty();
    }

    /** Fails if the watch keys pushes on the container's version: after a policy change nothing is reported. */
    @Test
    void afterALiveAccessPolicyChangeAPushIsReportedUnderTheVersionTheWorkersAcknowledge() throws Exception {
        ManagerServer server = started(new ManagerServer(listen(), Clock.systemUTC()));
        ManagerWatch watch = new ManagerWatch(server, clock, recorder, "manager");
        server.onAcknowledgement(watch::acknowledged);
        worker(server, "w1", false);
        Await.until(() -> watch.workersConnected() == 1, WAIT, "the worker connected");
        watch.onContainer(container(1));
        Await.until(() -> events.size() == 2, WAIT, "version 1 acknowledged");

        server.accessPolicy(AccessPolicy.DENY_ALL); // re-sent as version 2: the worker may have nothing now
        Await.until(() -> server.workers().get(0).ackedVersion() == 2, WAIT, "the re-sent container acknowledged");
        watch.onContainer(container(2));
        Await.until(() -> events.size() == 4, WAIT, "container 2 (version 3 on the wire) acknowledged");
        assertThat(events).containsExactly("pushed 1 to 1", "acknowledged 1 by 1 after 0 s", "pushed 3 to 1",
                "acknowledged 3 by 1 after 0 s");
        assertThat(watch.workersBehind()).isZero();
        assertThat(watch.oldestUnacknowledged()).isEmpty();
    }

    @Test
    void withHighAvailabilityTheRoleFollowsTheTermAndANewTermForgetsTheOldOnesPushes() throws Exception {
        ManagerServer server = started(ManagerServer.standby(listen(), Clock.systemUTC(), "election pending"));
        ManagerWatch watch = ManagerWatch.elected(server, clock, recorder);
        server.onAcknowledgement(watch::acknowledged);
        assertThat(watch.role()).isEqualTo("standby");
        assertThat(watch.standby()).isTrue();
        watch.onContainer(container(1));
        assertThat(server.currentVersion()).as("a standby pushes nothing").isZero();
        assertThat(events).as("nor reports a push").isEmpty();

        server.leading(7);
        watch.newTerm();
        assertThat(watch.role()).isEqualTo("leader");
        assertThat(watch.standby()).isFalse();
        worker(server, "w1", true);
        Await.until(() -> watch.workersConnected() == 1, WAIT, "the worker connected to the leader");
        CountDownLatch release = hold(2);
        watch.onContainer(container(2));
        clock.advance(Duration.ofSeconds(5));
        assertThat(watch.oldestUnacknowledged()).contains(Duration.ofSeconds(5));

        // deposed while version 2 is unacknowledged, then elected again
        server.standingBy("lost the ZooKeeper session", Optional.empty());
        watch.newTerm();
        assertThat(watch.role()).isEqualTo("standby");
        assertThat(watch.standby()).isTrue();
        release.countDown();
        Await.until(() -> watch.workersConnected() == 0, WAIT, "the standby keeps no worker");
        server.leading(8);
        watch.newTerm();
        Await.until(() -> watch.workersConnected() == 1, WAIT, "the worker back at the leader");
        CountDownLatch releaseNext = hold(3);
        watch.onContainer(container(3));
        clock.advance(Duration.ofSeconds(2));
        assertThat(watch.oldestUnacknowledged()).as("waiting since version 3's push, not since version 2's")
                .contains(Duration.ofSeconds(2));
        assertThat(watch.workersBehind()).isEqualTo(1);
        releaseNext.countDown();
        Await.until(() -> events.size() == 3, WAIT, "version 3 acknowledged");
        assertThat(events).as("version 2 never counts as acknowledged: its term ended")
                .containsExactly("pushed 2 to 1", "pushed 3 to 1", "acknowledged 3 by 1 after 2 s");
        assertThat(watch.oldestUnacknowledged()).isEmpty();
    }

    private ManagerServer started(ManagerServer server) throws Exception {
        closeables.add(server);
        return server.start();
    }

    private CountDownLatch hold(long version) {
        CountDownLatch latch = new CountDownLatch(1);
        held.put(version, latch);
        return latch;
    }

    /** A worker whose sink, if {@code slow}, waits on a {@linkplain #hold held} version until it is released. */
    private void worker(ManagerServer server, String id, boolean slow) {
        WorkerClient worker = new WorkerClient(ConnectionOptions.insecurePlaintext(List.of(new ManagerAddress("127.0.0.1",
                server.port())), id, Duration.ofSeconds(30)), container -> {
                    CountDownLatch latch = held.get(container.version());
                    if (slow && latch != null) {
                        try {
                            latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }, new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 0.2, Math::random), scheduler,
                Clock.systemUTC());
        closeables.add(worker);
        worker.start();
    }

    private static ListenOptions listen() {
        return ListenOptions.insecurePlaintext(new InetSocketAddress("127.0.0.1", 0));
    }

    private static TokenContainer container(long version) {
        return TokenContainer.of(version, Map.of("example", ("tokens-" + version).getBytes()));
    }

    /** A clock that moves only when told. */
    private static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-11-28T12:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
