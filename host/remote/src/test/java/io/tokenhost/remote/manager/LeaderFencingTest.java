package io.tokenhost.remote.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.itests.support.Await;
import io.tokenhost.remote.logging.Refusals;
import io.tokenhost.remote.worker.Backoff;
import io.tokenhost.remote.worker.ConnectionOptions;
import io.tokenhost.remote.worker.ManagerAddress;
import io.tokenhost.remote.worker.WorkerClient;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two real managers of one cluster, switched between leading and standing by as the election
 * would, and a real worker configured with both: it follows a standby's redirect to the leader,
 * moves to the new leader when the old one steps down, and never applies anything of a deposed
 * leader's older epoch again; a standby holds the worker's pre-held stream for as long as it stands
 * by and, elected, serves it without a new connection. (The election itself runs on a real ZooKeeper in itests/process.)
 */
class LeaderFencingTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Await AWAIT = Await.atMost(WAIT).every(Duration.ofMillis(10));

    /** The longest a standby holds a waiting worker, here: short, so that holding beyond it takes 2 s, not 21. */
    private static final long PARK_LIMIT_MILLIS = 1_000;

    private final ManagerServer m1 = standby();
    private final ManagerServer m2 = standby();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<Long> appliedEpochs = new CopyOnWriteArrayList<>();
    private final List<TokenContainer> applied = new CopyOnWriteArrayList<>();
    private WorkerClient worker;

    private static ManagerServer standby() {
        return ManagerServer.standby(listen(), Clock.systemUTC(), "election pending", Refusals.SHARED, PARK_LIMIT_MILLIS);
    }

    private static ListenOptions listen() {
        return ListenOptions.insecurePlaintext(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
        m1.close();
        m2.close();
        scheduler.shutdownNow();
    }

    @Test
    void aWorkerFollowsTheLeaderAndNeverAppliesAnOlderEpochAgain() throws Exception {
        m1.start();
        m2.start();
        String a1 = "127.0.0.1:" + m1.port();
        m1.leading(10);
        m2.standingBy("standby", Optional.of(a1));
        // the standby first: it must send the worker to the leader
        worker = new WorkerClient(ConnectionOptions.insecurePlaintext(List.of(new ManagerAddress("127.0.0.1", m2.port()),
                new ManagerAddress("127.0.0.1", m1.port())), "w1", Duration.ofSeconds(30)), c -> { },
                (container, epoch, fence) -> {
                    applied.add(container);
                    appliedEpochs.add(epoch);
                }, 0, new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), 0.2, Math::random), scheduler,
                Clock.systemUTC());
        worker.start();
        AWAIT.until("the worker reaches the leader through the standby", () -> m1.connectedWorkers() == 1);
        m1.onContainer(container(1, "from-m1"));
        AWAIT.until("the leader's container applied", () -> applied.size() == 1);
        assertThat(m2.onContainerIgnored(container(5, "standby"))).isTrue();

        // failover: m1 steps down (its streams end), m2 leads under a higher epoch
        m1.standingBy("lost the ZooKeeper session", Optional.empty());
        m2.leading(11);
        AWAIT.until("the worker finds the new leader", () -> m2.connectedWorkers() == 1);
        m2.onContainer(container(1, "from-m2"));
        AWAIT.until("the new leader's container applied", () -> applied.size() == 2);
        assertThat(worker.status().fence()).isEqualTo(11);

        // the deposed leader comes back claiming its old epoch, and the new one points at it
        m1.leading(10);
        m1.onContainer(container(2, "stale"));
        m2.standingBy("standby", Optional.of(a1));
        AWAIT.until("the worker refuses the deposed leader", () -> worker.status().lastError().orElse("").contains("deposed"));
        Thread.sleep(500);
        assertThat(appliedEpochs).containsExactly(10L, 11L);
        assertThat(applied).extracting(c -> new String(c.tokens("example").orElseThrow()))
                .containsExactly("from-m1", "from-m2");
        AWAIT.until("the deposed leader keeps no worker", () -> m1.workers().isEmpty());
    }

    /** Takes about 2.5 s: the standby must hold the pre-held stream beyond the (here 1 s) limit a waiting worker is held. */
    @Test
    void aStandbyHoldsAPreHeldStreamBeyondTheWaitLimitAndTheNewLeaderNeedsNoNewConnection() throws Exception {
        m1.start();
        m2.start();
        m1.leading(20);
        m2.standingBy("standby", Optional.of("127.0.0.1:" + m1.port()));
        worker = worker(m1, m2);
        worker.start();
        m1.onContainer(container(1, "from-m1"));
        AWAIT.until("the leader's container applied", () -> appliedEpochs.size() == 1);
        AWAIT.until("the worker holds a stream at the standby", () -> m2.heldWorkers() == 1);
        long connections = m2.connectionsAccepted();
        assertThat(connections).isEqualTo(1);

        Thread.sleep(PARK_LIMIT_MILLIS + 1_000);
        assertThat(m2.heldWorkers()).as("still held after the wait limit").isEqualTo(1);
        assertThat(m2.waitingWorkers()).isZero();
        assertThat(m2.connectedWorkers()).isZero();

        m1.close(); // the leader dies; the standby still names it, as until its ZooKeeper session expires
        Thread.sleep(300); // the worker lost its leader and waits on the held stream
        m2.leading(21);
        AWAIT.until("the held worker is welcomed on election", () -> m2.connectedWorkers() == 1 && m2.heldWorkers() == 0);
        m2.onContainer(container(1, "from-m2"));
        AWAIT.until("the new leader's container applied", () -> appliedEpochs.size() == 2);
        assertThat(appliedEpochs).containsExactly(20L, 21L);
        assertThat(m2.connectionsAccepted()).as("no new connection to the new leader").isEqualTo(connections);
        assertThat(worker.status().fence()).isEqualTo(21);
    }

    @Test
    void aHeldStreamWhoseManagerIsElectedReplacesTheDeposedLeaderStillConnected() throws Exception {
        workerOnM1HoldingAStreamAtM2(30);
        long connections = m2.connectionsAccepted();

        m2.leading(31); // elected while m1 (cut off from ZooKeeper, say) still pushes
        m2.onContainer(container(1, "from-m2"));
        AWAIT.until("the new leader's container applied", () -> appliedEpochs.size() == 2);
        AWAIT.until("the worker left the deposed leader", () -> m1.connectedWorkers() == 0);
        m1.onContainer(container(2, "stale"));
        Thread.sleep(500);
        assertThat(appliedEpochs).containsExactly(30L, 31L);
        assertThat(applied).extracting(c -> new String(c.tokens("example").orElseThrow()))
                .containsExactly("from-m1", "from-m2");
        assertThat(m2.connectionsAccepted()).isEqualTo(connections);
        assertThat(worker.status().fence()).isEqualTo(31);
    }

    /**
     * Found by the HA chaos soak: after a ZooKeeper restart both managers lost their sessions, the
     * worker waited on its pre-held stream at the standby, and the old leader, re-elected, had no
     * stream of it: the worker sat out the 20 s hold patience while its tokens expired.
     */
    @Test
    void aWorkerWaitingOnAHeldStreamIsWelcomedAtOnceWhenItsOldLeaderIsReElected() throws Exception {
        workerOnM1HoldingAStreamAtM2(40);

        m1.standingBy("lost the ZooKeeper session", Optional.empty());
        m2.standingBy("lost the ZooKeeper session", Optional.empty());
        Await.atMost(Duration.ofSeconds(5)).every(Duration.ofMillis(10)).until("the worker, waiting at the standby, holds a stream at its old leader again", () -> m1.heldWorkers() == 1);
        long reElected = System.nanoTime();
        m1.leading(41);
        m1.onContainer(container(2, "from-m1-again"));
        Await.atMost(Duration.ofSeconds(5)).every(Duration.ofMillis(10)).until("the re-elected leader's container applied", () -> appliedEpochs.size() == 2);
        assertThat(Duration.ofNanos(System.nanoTime() - reElected)).isLessThan(Duration.ofSeconds(2));
        assertThat(appliedEpochs).containsExactly(40L, 41L);
    }

    /** m1 leads under {@code epoch}, m2 stands by naming it; the worker applied m1's container and holds a stream at m2. */
    private void workerOnM1HoldingAStreamAtM2(long epoch) throws Exception {
        m1.start();
        m2.start();
        m1.leading(epoch);
        m2.standingBy("standby", Optional.of("127.0.0.1:" + m1.port()));
        worker = worker(m1, m2);
        worker.start();
        m1.onContainer(container(1, "from-m1"));
        AWAIT.until("applied, and held at the standby", () -> appliedEpochs.size() == 1 && m2.heldWorkers() == 1);
    }

    private WorkerClient worker(ManagerServer first, ManagerServer second) {
        return new WorkerClient(ConnectionOptions.insecurePlaintext(List.of(new ManagerAddress("127.0.0.1", first.port()),
                new ManagerAddress("127.0.0.1", second.port())), "w1", Duration.ofSeconds(30)), c -> { },
                (container, epoch, fence) -> {
                    applied.add(container);
                    appliedEpochs.add(epoch);
                }, 0, new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), 0.2, Math::random), scheduler,
                Clock.systemUTC());
    }

    private static TokenContainer container(long version, String tokens) {
        return TokenContainer.of(version, Map.of("example", tokens.getBytes()));
    }
}
