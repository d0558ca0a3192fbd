package io.tokenhost.remote.worker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.itests.support.Await;
import io.tokenhost.remote.wire.WorkerFrame;
import io.tokenhost.remote.worker.ManualScheduler.Task;
import io.tokenhost.remote.worker.ScriptedManagers.Incoming;
import io.tokenhost.remote.worker.ScriptedManagers.Manager;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The worker's connection handling, deterministically: scripted managers on loopback (the test
 * answers every stream as a leader, a standby, a deposed leader or a broken manager would) and a
 * {@link ManualScheduler}, so every reconnect, pre-held stream and give-up runs when the test says
 * and every wait the worker plans is checked to the millisecond (backoff 100 ms doubling to 800,
 * no jitter). Covers the high-availability paths of docs/remote.md: following a standby's leader
 * hint, asking to wait, the backoff per round, fencing, pre-held streams and failover onto them,
 * giving up on a held stream, and close. About 3 s in all.
 */
class WorkerClientFailoverTest {

    private static final Await AWAIT = Await.atMost(ScriptedManagers.WAIT).every(Duration.ofMillis(5));
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final ManualScheduler scheduler = new ManualScheduler();
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(800), 0, () -> 0.5);
    private final List<TokenContainer> applied = new CopyOnWriteArrayList<>();
    /** Per applied container: the manager's epoch and the fence told to {@code afterApply}. */
    private final List<List<Long>> afterApply = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private ListAppender<ILoggingEvent> logs;

    @AfterEach
    void close() throws Exception {
        if (logs != null) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(WorkerClient.class)).detachAppender(logs);
        }
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        scheduler.shutdownNow();
    }

    /** The worker's stream at {@code leader}, welcomed under epoch 10, and the hold at the other manager run. */
    private Incoming welcomedAndHoldingAtTheOther(Manager leader) throws Exception {
        Incoming stream = leader.next();
        stream.welcome(10, true);
        scheduler.awaitNew("a stream held at the other manager", 0).run();
        return stream;
    }

    private Manager manager() throws IOException {
        return manager(0);
    }

    private Manager manager(int port) throws IOException {
        Manager m = new Manager(port);
        closeables.add(m);
        return m;
    }

    private WorkerClient worker(long fence, boolean eventsLogged, ManagerAddress... managers) {
        ConnectionOptions options = ConnectionOptions.insecurePlaintext(List.of(managers), "w1", Duration.ofSeconds(30));
        WorkerClient client = new WorkerClient(eventsLogged ? options : options.withConnectionEventsAtDebug(), applied::add,
                (container, epoch, newFence) -> afterApply.add(List.of(epoch, newFence)), fence, backoff, scheduler,
                Clock.fixed(NOW, ZoneOffset.UTC));
        closeables.add(client);
        client.start();
        return client;
    }

    private void captureLogs() {
        logs = new ListAppender<>();
        logs.start();
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(WorkerClient.class);
        logger.setLevel(Level.DEBUG);
        logger.addAppender(logs);
    }

    private List<String> logLines(Level level) {
        return logs.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static ManagerAddress unreachable() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return new ManagerAddress("127.0.0.1", socket.getLocalPort());
        }
    }

    private static String token(TokenContainer c) {
        return new String(c.tokens("hdfs").orElseThrow(), StandardCharsets.UTF_8);
    }

    /** Waits for the next planned task, checks its delay, and the manager the worker will try. */
    private Task planned(String what, int mark, long delayMillis, WorkerClient client, ManagerAddress next)
            throws InterruptedException {
        Task task = scheduler.awaitNew(what, mark);
        assertThat(task.delayMillis).as(what + ": the wait").isEqualTo(delayMillis);
        AWAIT.until(what + ": the next manager", () -> client.status().current(), next.toString()::equals);
        return task;
    }

    /**
     * A standby's answer sends the worker to the leader it names, at once (the first backoff, the
     * backoff reset); when the named leader does not take it either, or no leader is known, the
     * next hello asks the next manager to hold it until there is one; a named leader that is not
     * configured here is ignored. Kills: the leader trailer being dropped ({@code Responses.onError}'s
     * null check negated), {@code nextTarget}'s hint and round arithmetic ({@code hinted >= 0 &&
     * hinted != target}, {@code (target + 1) % size}), every term of the wait-for-leader condition,
     * the {@code backoff.reset()} on a standby's answer and the "first, not next" choice of the delay.
     */
    @Test
    void aStandbysLeaderHintIsFollowedAndWaitingIsAskedForOnlyWhenTheHintLeadsNowhere() throws Exception {
        Manager m1 = manager();
        Manager m2 = manager();
        WorkerClient client = worker(0, true, m1.address(), m2.address());
        Incoming a = m1.next();
        assertThat(a.hello.waitForLeader()).isFalse();
        assertThat(a.hello.hold()).isFalse();
        assertThat(a.hello.workerId()).isEqualTo("w1");

        a.standby(m2.address().toString());
        Task t = planned("sent to the named leader", 0, 100, client, m2.address());
        assertThat(client.status().connected()).isFalse();
        assertThat(client.status().lastError()).contains("UNAVAILABLE: this manager does not lead");
        assertThat(client.status().nextAttempt()).contains(NOW.plusMillis(100));
        t.run();
        Incoming b = m2.next();
        assertThat(b.hello.waitForLeader()).as("a leader was named: no need to wait").isFalse();

        b.standby(m2.address().toString()); // the named leader does not take it either (not leading yet)
        planned("the named leader refused too", 1, 100, client, m1.address()).run();
        Incoming c = m1.next();
        assertThat(c.hello.waitForLeader()).as("the hint led nowhere: ask to wait").isTrue();

        c.standby("-"); // no leader known
        planned("no leader known", 2, 100, client, m2.address()).run();
        Incoming d = m2.next();
        assertThat(d.hello.waitForLeader()).as("no leader known: ask to wait").isTrue();

        d.standby("10.9.9.9:7443"); // a leader this worker is not configured with
        planned("a leader not configured here", 3, 100, client, m1.address()).run();
        Incoming e = m1.next();
        assertThat(e.hello.waitForLeader()).isFalse();
        assertThat(backoff.attempts()).as("every standby's answer reset the backoff").isZero();

        e.welcome(5, true);
        AWAIT.until("connected", () -> client.status().connected());
        assertThat(client.status().leaderEpoch()).contains(5L);
        assertThat(client.status().current()).isEqualTo(m1.address().toString());
        assertThat(client.status().lastError()).isEmpty();
        assertThat(client.status().nextAttempt()).isEmpty();
        assertThat(client.status().connectedSince()).contains(NOW);
    }

    /**
     * With several managers and none reachable, the addresses are tried in turn: the first backoff
     * between them, the growing one only after a whole round failed. Kills: {@code nextTarget}'s
     * {@code failuresInRow % size == 0} (negated, boundary, {@code %} made {@code *}), the target's
     * {@code + 1} made {@code - 1} (an index out of range), a single-round backoff growth.
     */
    @Test
    void aRoundOfUnreachableManagersIsTriedInTurnAndOnlyAWholeRoundGrowsTheBackoff() throws Exception {
        ManagerAddress p1 = unreachable();
        ManagerAddress p2 = unreachable();
        ManagerAddress p3 = unreachable();
        WorkerClient client = worker(0, true, p1, p2, p3);
        List<Long> delays = new ArrayList<>();
        List<String> next = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Task t = scheduler.awaitNew("attempt " + (i + 1) + " failed", i);
            delays.add(t.delayMillis);
            next.add(client.status().current());
            t.run();
        }
        assertThat(delays).containsExactly(100L, 100L, 100L, 100L, 100L, 200L, 100L, 100L, 400L);
        assertThat(next).containsExactly(p2.toString(), p3.toString(), p1.toString(), p2.toString(), p3.toString(),
                p1.toString(), p2.toString(), p3.toString(), p1.toString());
        assertThat(client.status().connected()).isFalse();
        assertThat(client.status().lastError()).hasValueSatisfying(e -> assertThat(e).startsWith("UNAVAILABLE"));
    }

    /**
     * A manager welcoming under a leader epoch below the fence (the highest leader epoch applied
     * here) is a deposed leader: refused, nothing of it applied; a leader at the fence is taken;
     * applying under a higher leader epoch raises the fence; a push under another epoch than the
     * welcome's is ignored; a single manager's restart epoch (not a leader epoch) is not fenced and
     * leaves the fence alone. Kills: {@code welcomed}'s {@code managerEpoch < fence} (negated or
     * made {@code <=}), {@code received}'s epoch checks and its {@code leaderEpoch ? max : fence},
     * the applied count, and {@code status()}'s "leader epoch only when connected to a leader".
     */
    @Test
    void aDeposedLeaderIsRefusedAndTheFenceOnlyRisesWithLeaderEpochs() throws Exception {
        Manager m = manager();
        WorkerClient client = worker(20, true, m.address());
        Incoming a = m.next();
        a.welcome(19, true);
        a.push(19, 1, "stale");
        Task t = planned("the deposed leader refused", 0, 100, client, m.address());
        assertThat(client.status().lastError()).hasValueSatisfying(e -> assertThat(e).startsWith("FAILED_PRECONDITION")
                .contains("leads under epoch 19, older than epoch 20 applied here: a deposed leader"));
        assertThat(client.status().connected()).isFalse();
        assertThat(client.status().leaderEpoch()).isEmpty();
        t.run();
        Incoming b = m.next();
        b.welcome(20, true); // at the fence: taken
        AWAIT.until("connected", () -> client.status().connected());
        b.push(20, 2, "good-2");
        b.push(19, 3, "other-epoch"); // not the epoch it was welcomed under
        b.push(20, 4, "good-4");
        AWAIT.until("two applied", () -> applied.size() == 2);
        AWAIT.until("both acknowledged", () -> b.acks.size() == 2);
        assertThat(applied).extracting(WorkerClientFailoverTest::token).containsExactly("good-2", "good-4");
        assertThat(b.acks).containsExactly(new WorkerFrame.Ack(20, 2), new WorkerFrame.Ack(20, 4));
        assertThat(afterApply).containsExactly(List.of(20L, 20L), List.of(20L, 20L));
        assertThat(client.status().containersApplied()).isEqualTo(2);
        assertThat(client.status().lastVersion()).isEqualTo(4);
        assertThat(client.status().lastReceived()).contains(NOW);
        assertThat(client.status().leaderEpoch()).contains(20L);

        b.fail(Status.UNAVAILABLE);
        planned("lost", 1, 100, client, m.address()).run();
        Incoming c = m.next();
        c.welcome(25, true);
        c.push(25, 1, "newer-leader");
        AWAIT.until("applied", () -> applied.size() == 3);
        assertThat(afterApply.get(2)).as("the fence rises to the new leader epoch").containsExactly(25L, 25L);
        AWAIT.until("the fence recorded", () -> client.status().fence() == 25);

        c.fail(Status.UNAVAILABLE);
        planned("lost again", 2, 100, client, m.address()).run();
        Incoming d = m.next();
        d.welcome(3, false); // a single manager's restart: not a leader epoch, not fenced
        AWAIT.until("connected to the restarted manager", () -> client.status().connected());
        assertThat(client.status().leaderEpoch()).as("not a leader epoch").isEmpty();
        d.push(3, 1, "restarted");
        AWAIT.until("applied", () -> applied.size() == 4);
        assertThat(afterApply.get(3)).as("the fence stays").containsExactly(3L, 25L);
        assertThat(client.status().fence()).isEqualTo(25);
        assertThat(client.status().containersApplied()).isEqualTo(4);
    }

    /**
     * The log tells an operator what happened, once: the first refusal is an ERROR naming the
     * worker, the next failures only DEBUG; a welcome is INFO (with the leader epoch only for a
     * leader), a lost connection a WARN saying the tokens are kept, a manager ending the stream
     * says so, a new epoch is announced. Kills: every log-level choice in {@code lost} (the
     * PERMISSION_DENIED check, {@code wasConnected}, {@code backoff.attempts() == 1}) and {@code
     * welcomed}'s "new epoch" and "leader" conditions, {@code onCompleted} not reporting the loss.
     */
    @Test
    void connectionEventsAreLoggedOnceAtTheirLevel() throws Exception {
        Manager m = manager();
        captureLogs();
        WorkerClient client = worker(0, true, m.address());
        String at = m.address().toString();
        Incoming a = m.next();
        a.fail(Status.PERMISSION_DENIED.withDescription("worker id not allowed"));
        planned("refused", 0, 100, client, m.address()).run();
        Incoming b = m.next();
        b.fail(Status.PERMISSION_DENIED.withDescription("worker id not allowed"));
        planned("refused again", 1, 200, client, m.address()).run();
        assertThat(logLines(Level.ERROR)).containsExactly("The manager at " + at
                + " refused worker 'w1' (PERMISSION_DENIED: worker id not allowed); retrying in 100 ms");
        assertThat(logLines(Level.DEBUG)).contains("Manager at " + at
                + " still unreachable (PERMISSION_DENIED: worker id not allowed); next attempt at " + at + " in 200 ms");

        Incoming c = m.next();
        c.welcome(7, false);
        AWAIT.until("connected", () -> client.status().connected());
        assertThat(logLines(Level.INFO)).containsExactly("Worker 'w1' connected to the manager at " + at);
        c.fail(Status.UNAVAILABLE.withDescription("restarting"));
        planned("lost", 2, 100, client, m.address()).run();
        assertThat(logLines(Level.WARN)).containsExactly("INSECURE: worker 'w1' connects to the manager(s) at " + at
                + " WITHOUT TLS: tokens travel in the clear. Use this only in tests (key insecure=true)",
                "Lost the manager at " + at + " (UNAVAILABLE: restarting); keeping the last good tokens (version 0);"
                        + " reconnecting in 100 ms");

        Incoming d = m.next();
        d.welcome(8, true);
        AWAIT.until("connected again", () -> client.status().connected());
        assertThat(logLines(Level.INFO)).containsExactly("Worker 'w1' connected to the manager at " + at,
                "The manager at " + at + " leads under epoch 8; its next container replaces ours",
                "Worker 'w1' connected to the manager at " + at + " (leader, epoch 8)");
        d.end();
        planned("ended", 3, 100, client, m.address()).run();
        assertThat(logLines(Level.WARN)).last().isEqualTo("Lost the manager at " + at
                + " (UNAVAILABLE: the manager ended the stream); keeping the last good tokens (version 0); reconnecting in 100 ms");
        Incoming e = m.next();
        e.welcome(9, false);
        AWAIT.until("connected a third time", () -> client.status().connected());
        assertThat(logLines(Level.INFO)).last().isEqualTo("Worker 'w1' connected to the manager at " + at);
        assertThat(logLines(Level.INFO)).contains("The manager at " + at + " restarted (new epoch); its next container"
                + " replaces ours");
        e.push(9, 1, "t");
        AWAIT.until("applied", () -> applied.size() == 1);
        AWAIT.until("the apply logged", () -> logLines(Level.INFO), l -> l.contains(
                "Applied container version 1 from the manager (1 services) and acknowledged it"));
    }

    /**
     * A client whose connection events are not logged (the fan-out benchmark's thousands) logs them
     * at DEBUG only, failures, standby answers and applies alike. Kills: {@code info}'s and {@code
     * lost}'s {@code connectionEventsLogged} checks negated, and {@code withConnectionEventsAtDebug}.
     */
    @Test
    void aClientWithConnectionEventsAtDebugLogsNothingAboveDebug() throws Exception {
        Manager m1 = manager();
        Manager m2 = manager();
        captureLogs();
        WorkerClient client = worker(0, false, m1.address(), m2.address());
        Incoming a = m1.next();
        a.fail(Status.PERMISSION_DENIED);
        planned("refused", 0, 100, client, m2.address()).run();
        Incoming b = m2.next();
        b.welcome(4, true);
        AWAIT.until("connected", () -> client.status().connected());
        b.push(4, 1, "t");
        AWAIT.until("applied", () -> applied.size() == 1);
        int mark = scheduler.tasks.size(); // the pre-held stream's opening is planned by now
        b.standby(m1.address().toString());
        planned("the leader stepped down", mark, 100, client, m1.address());
        assertThat(logs.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                .extracting(ILoggingEvent::getFormattedMessage).singleElement().asString().startsWith("INSECURE");
        assertThat(logLines(Level.DEBUG)).anyMatch(l -> l.startsWith("Worker 'w1' connected to the manager at"))
                .anyMatch(l -> l.startsWith("Applied container version 1"))
                .anyMatch(l -> l.startsWith("Lost the manager at"))
                .anyMatch(l -> l.startsWith("The manager at " + m2.address() + " does not lead"));
    }

    /**
     * The standby answer of a leader that stepped down is a WARN (the tokens are kept); a standby
     * that never took the worker only DEBUG. Kills: the {@code standby && wasConnected} log choice.
     */
    @Test
    void aLeaderSteppingDownIsAWarningAndAStandbysRefusalOnlyDebug() throws Exception {
        Manager m1 = manager();
        Manager m2 = manager();
        captureLogs();
        WorkerClient client = worker(0, true, m1.address(), m2.address());
        Incoming a = m1.next();
        a.standby(m2.address().toString());
        planned("sent on", 0, 100, client, m2.address()).run();
        assertThat(logLines(Level.DEBUG)).contains("The manager at " + m1.address()
                + " does not lead (UNAVAILABLE: this manager does not lead); trying " + m2.address() + " in 100 ms");
        Incoming b = m2.next();
        b.welcome(6, true);
        AWAIT.until("connected", () -> client.status().connected());
        int mark = scheduler.tasks.size();
        b.standby(m1.address().toString());
        planned("the leader stepped down", mark, 100, client, m1.address());
        assertThat(logLines(Level.WARN)).last().isEqualTo("The manager at " + m2.address()
                + " stopped leading (UNAVAILABLE: this manager does not lead); keeping the last good tokens (version 0);"
                + " trying " + m1.address() + " in 100 ms");
    }

    /**
     * Welcomed by a leader, the worker holds a stream at every other manager, opened one backoff
     * later. A held manager welcoming with an older or equal leader epoch, or with no leader epoch,
     * is dropped and held again after a growing backoff of its own; one welcoming with a newer
     * leader epoch becomes the stream in force at once (the old one is shut), its pushes applied, and
     * a stream is held at the old leader in turn. A held manager welcoming below the fence is named
     * a deposed leader. Kills: {@code holdOthers}' and {@code hold}'s conditions, {@code welcomed}'s
     * held-stream checks ({@code !isLeaderEpoch}, {@code < fence}, {@code <= epoch}, each negated or
     * with its boundary moved), {@code holdAgain} not called or not re-planning, its "lived long
     * enough" reset (negated, or its subtraction made an addition), the old channel not shut.
     */
    @Test
    void aHeldStreamWelcomedByANewerLeaderTakesOverAndOlderOnesAreHeldAgain() throws Exception {
        Manager m1 = manager();
        Manager m2 = manager();
        WorkerClient client = worker(0, true, m1.address(), m2.address());
        Incoming a = m1.next();
        a.welcome(10, true);
        AWAIT.until("connected", () -> client.status().connected());
        Task hold = scheduler.awaitNew("a stream held at the other manager", 0);
        assertThat(hold.delayMillis).isEqualTo(100);
        assertThat(scheduler.pending()).as("no stream held at the leader itself").hasSize(1);
        hold.run();
        Incoming h = m2.next();
        assertThat(h.hello.hold()).isTrue();
        assertThat(h.hello.waitForLeader()).isFalse();

        h.welcome(9, true); // an older leader epoch than the one in force
        assertThat(scheduler.awaitNew("held again", 1).delayMillis).isEqualTo(100);
        AWAIT.until("the refused held stream shut", h.cancelled::get);
        scheduler.tasks.get(1).run();
        Incoming h2 = m2.next();
        assertThat(h2.hello.hold()).isTrue();
        h2.welcome(12, false); // not a leader epoch
        assertThat(scheduler.awaitNew("held again", 2).delayMillis).as("its own backoff grows").isEqualTo(200);
        scheduler.tasks.get(2).run();
        Incoming h3 = m2.next();
        h3.welcome(10, true); // the epoch in force: not newer
        assertThat(scheduler.awaitNew("held again", 3).delayMillis).isEqualTo(400);
        assertThat(client.status().current()).isEqualTo(m1.address().toString());
        assertThat(client.status().leaderEpoch()).contains(10L);
        assertThat(client.status().lastError()).isEmpty();
        assertThat(a.cancelled.get()).isFalse();
        scheduler.tasks.get(3).run();

        Incoming h4 = m2.next();
        h4.welcome(11, true); // elected: takes over
        AWAIT.until("the held stream is in force", () -> client.status().current(), m2.address().toString()::equals);
        assertThat(client.status().leaderEpoch()).contains(11L);
        assertThat(client.status().connected()).isTrue();
        AWAIT.until("the old leader's stream shut", a.cancelled::get);
        Task holdOld = scheduler.awaitNew("a stream held at the old leader", 4);
        assertThat(holdOld.delayMillis).isEqualTo(100);
        h4.push(11, 1, "from-m2");
        AWAIT.until("applied", () -> applied.size() == 1);
        AWAIT.until("acknowledged on the held stream", () -> h4.acks.size() == 1);
        assertThat(afterApply).containsExactly(List.of(11L, 11L));

        holdOld.run();
        Incoming back = m1.next();
        assertThat(back.hello.hold()).isTrue();
        back.welcome(10, true); // the deposed leader, below the fence of 11
        AWAIT.until("named a deposed leader", () -> client.status().lastError().orElse(""), e -> e.contains(
                "the manager at " + m1.address() + " leads under epoch 10, older than epoch 11 applied here: a deposed leader"));
        assertThat(client.status().connected()).isTrue();
        assertThat(client.status().current()).isEqualTo(m2.address().toString());
        back.push(10, 2, "stale");
        h4.push(11, 3, "from-m2-again");
        AWAIT.until("applied", () -> applied.size() == 2);
        assertThat(applied).extracting(WorkerClientFailoverTest::token).containsExactly("from-m2", "from-m2-again");
    }

    /**
     * Losing its leader, the worker goes to the next manager on the stream it holds there (no new
     * connection), asks nothing new of it, holds a stream at the lost leader again, and takes the
     * held stream as the one in force when that manager welcomes it; the give-up planned then does
     * nothing. Kills: {@code connect}'s held-stream branch, the give-up's "connected meanwhile"
     * check, a lost leader not making the next hello wait for a leader.
     */
    @Test
    void losingTheLeaderTheWorkerWaitsOnTheStreamItHoldsAtTheNextManager() throws Exception {
        Manager m1 = manager();
        Manager m2 = manager();
        WorkerClient client = worker(0, true, m1.address(), m2.address());
        Incoming a = welcomedAndHoldingAtTheOther(m1);
        Incoming h = m2.next();

        a.fail(Status.UNAVAILABLE.withDescription("connection reset"));
        planned("the leader lost", 1, 100, client, m2.address()).run();
        Task giveUp = scheduler.awaitNew("the give-up planned", 2);
        assertThat(giveUp.delayMillis).isEqualTo(WorkerClient.HOLD_PATIENCE_MILLIS);
        Task holdLost = scheduler.awaitNew("a stream held at the lost leader", 3);
        assertThat(holdLost.delayMillis).isEqualTo(100);
        assertThat(m2.incoming.poll(300, TimeUnit.MILLISECONDS)).as("no new stream at the held manager").isNull();

        h.welcome(11, true);
        AWAIT.until("connected on the held stream", () -> client.status().connected());
        assertThat(client.status().current()).isEqualTo(m2.address().toString());
        assertThat(client.status().leaderEpoch()).contains(11L);
        h.push(11, 1, "from-m2");
        AWAIT.until("applied", () -> applied.size() == 1);
        int mark = scheduler.tasks.size();
        giveUp.run();
        assertThat(client.status().connected()).as("the give-up does nothing once welcomed").isTrue();
        assertThat(client.status().lastError()).isEmpty();
        assertThat(scheduler.tasks).hasSize(mark);

        holdLost.run();
        Incoming back = m1.next();
        assertThat(back.hello.hold()).isTrue();
    }

    /**
     * Nobody welcomes the worker on the held stream it waits on: after {@code HOLD_PATIENCE_MILLIS}
     * it gives up (the error says so), keeps the stream held and tries the next manager; the held
     * stream's manager, elected later, still takes it over. Kills: the give-up not planned or doing
     * nothing ({@code giveUp}'s conditions negated), the stream not put back as held, {@code hold}
     * opening a held stream where the attempt in force runs.
     */
    @Test
    void noLeaderOnTheHeldStreamTheWorkerGivesUpKeepsItHeldAndTriesTheNext() throws Exception {
        Manager m1 = manager();
        Manager m2 = manager();
        WorkerClient client = worker(0, true, m1.address(), m2.address());
        Incoming a = welcomedAndHoldingAtTheOther(m1);
        Incoming h = m2.next();
        a.fail(Status.UNAVAILABLE);
        planned("the leader lost", 1, 100, client, m2.address()).run();
        Task giveUp = scheduler.awaitNew("the give-up planned", 2);
        scheduler.awaitNew("a stream held at the lost leader", 3);

        giveUp.run();
        assertThat(client.status().lastError()).contains("no leader welcomed this worker at " + m2.address()
                + " within 20000 ms");
        assertThat(client.status().current()).isEqualTo(m1.address().toString());
        Task retry = scheduler.awaitNew("the next manager planned", 4);
        assertThat(retry.delayMillis).as("a whole round failed: the backoff's next").isEqualTo(100);
        assertThat(backoff.attempts()).isEqualTo(1);
        assertThat(h.cancelled.get()).as("the held stream kept").isFalse();
        retry.run();
        Incoming b = m1.next();
        assertThat(b.hello.hold()).isFalse();
        scheduler.tasks.get(3).run(); // the hold planned at m1 comes due while the attempt there runs: nothing more
        assertThat(m1.incoming.poll(300, TimeUnit.MILLISECONDS)).as("no stream held where the attempt is").isNull();

        h.welcome(12, true); // elected after all: the held stream takes over
        AWAIT.until("taken over", () -> client.status().current(), m2.address().toString()::equals);
        AWAIT.until("connected", () -> client.status().connected());
        assertThat(client.status().leaderEpoch()).contains(12L);
        AWAIT.until("the attempt at the other manager shut", b.cancelled::get);
    }

    /**
     * A held stream that its manager ends is held again after its own backoff; the stream in force
     * is untouched. Kills: {@code lost}'s held-stream branch ({@code holdAgain} removed: never held
     * again; the branch skipped: the loss taken for the leader's).
     */
    @Test
    void aHeldStreamThatEndsIsHeldAgainAndTheLeaderIsKept() throws Exception {
        Manager m1 = manager();
        Manager m2 = manager();
        WorkerClient client = worker(0, true, m1.address(), m2.address());
        Incoming a = welcomedAndHoldingAtTheOther(m1);
        Incoming h = m2.next();
        h.fail(Status.UNAVAILABLE.withDescription("standby restarting"));
        Task again = scheduler.awaitNew("held again", 1);
        assertThat(again.delayMillis).isEqualTo(100);
        assertThat(client.status().connected()).isTrue();
        assertThat(client.status().current()).isEqualTo(m1.address().toString());
        assertThat(client.status().lastError()).isEmpty();
        again.run();
        assertThat(m2.next().hello.hold()).isTrue();
        a.push(10, 1, "still-from-m1");
        AWAIT.until("applied", () -> applied.size() == 1);
    }

    /**
     * Closing ends every stream cleanly (the managers see the worker half-close, the one in force and
     * the held ones), cancels every planned hold. Kills:
     * {@code close}'s {@code onCompleted} calls and the cancelling of planned holds removed.
     */
    @Test
    void closingEndsTheStreamInForceAndTheHeldOnesAndCancelsWhatIsPlanned() throws Exception {
        Manager m1 = manager();
        Manager m2 = manager();
        Manager m3 = manager();
        WorkerClient client = worker(0, true, m1.address(), m2.address(), m3.address());
        Incoming a = m1.next();
        a.welcome(10, true);
        scheduler.awaitNew("streams held at the others", 1);
        scheduler.tasks.get(0).run();
        Incoming h = m2.next();
        Task planned = scheduler.tasks.get(1);

        client.close();

        assertThat(client.status().connected()).isFalse();
        assertThat(planned.isCancelled()).as("the planned hold cancelled").isTrue();
        AWAIT.until("the stream in force half-closed", a.completedByWorker::get);
        AWAIT.until("the held stream half-closed", h.completedByWorker::get);
        assertThat(m3.incoming.poll(200, TimeUnit.MILLISECONDS)).as("nothing held after close").isNull();
    }

    /** Closing cancels a planned reconnect. Kills: {@code close}'s {@code retry.cancel} removed or its null check negated. */
    @Test
    void closingCancelsThePlannedReconnect() throws Exception {
        WorkerClient client = worker(0, true, unreachable());
        Task retry = scheduler.awaitNew("the reconnect planned", 0);
        client.close();
        assertThat(retry.isCancelled()).isTrue();
        assertThat(client.status().connected()).isFalse();
    }

    /**
     * A client on shared event loops (the fan-out benchmark) runs on them, its callbacks included.
     * Kills: the shared group not applied in {@code channelTo} ({@code ifPresent} removed), {@code
     * withSharedEventLoops} returning null.
     */
    @Test
    void aClientOnSharedEventLoopsRunsItsCallbacksThere() throws Exception {
        Manager m = manager();
        NioEventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("shared-loop", true));
        closeables.add(() -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS));
        List<String> threads = new CopyOnWriteArrayList<>();
        WorkerClient client = new WorkerClient(ConnectionOptions.insecurePlaintext(List.of(m.address()), "w1",
                Duration.ofSeconds(30)).withSharedEventLoops(group), c -> threads.add(Thread.currentThread().getName()),
                backoff, scheduler, Clock.systemUTC());
        closeables.add(client);
        client.start();
        Incoming a = m.next();
        a.welcome(1, false);
        a.push(1, 1, "t");
        AWAIT.until("applied", () -> threads.size() == 1);
        assertThat(threads.get(0)).startsWith("shared-loop");
    }

    /**
     * With three managers, a standby's hint naming the first sends the worker there (not to the
     * next in turn), and its answer resets a backoff that had grown over a failed round. Kills:
     * {@code nextTarget}'s {@code hinted >= 0} made {@code > 0} (with two managers the next in turn
     * is the same one), the {@code backoff.reset()} on a standby's answer removed.
     */
    @Test
    void aHintNamingTheFirstOfThreeIsFollowedAndResetsAGrownBackoff() throws Exception {
        Manager m1 = manager();
        Manager m2 = manager();
        Manager m3 = manager();
        WorkerClient client = worker(0, true, m1.address(), m2.address(), m3.address());
        m1.next().fail(Status.UNAVAILABLE);
        planned("m1 failed", 0, 100, client, m2.address()).run();
        m2.next().fail(Status.UNAVAILABLE);
        planned("m2 failed", 1, 100, client, m3.address()).run();
        m3.next().fail(Status.UNAVAILABLE);
        planned("a whole round failed", 2, 100, client, m1.address()).run();
        assertThat(backoff.attempts()).as("grown once").isEqualTo(1);
        m1.next().fail(Status.UNAVAILABLE);
        planned("m1 failed again", 3, 100, client, m2.address()).run();

        m2.next().standby(m1.address().toString());
        planned("sent to the first manager", 4, 100, client, m1.address()).run();
        assertThat(backoff.attempts()).as("reset by the standby's answer").isZero();
        assertThat(m1.next().hello.waitForLeader()).isFalse();
        assertThat(m3.incoming).isEmpty();
    }
}
