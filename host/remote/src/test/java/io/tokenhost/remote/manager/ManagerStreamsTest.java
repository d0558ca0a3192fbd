package io.tokenhost.remote.manager;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.itests.support.Await;
import io.tokenhost.remote.RawStream;
import io.tokenhost.remote.logging.Refusals;
import io.tokenhost.remote.wire.Frames;
import io.tokenhost.remote.wire.ManagerFrame;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A real leading manager on loopback and raw subscription streams (no WorkerClient): what it
 * does with each stream over its life, acknowledgements, a worker closing or cancelling, a second
 * connection of the same worker, a new term, an old worker, and stopping. About 2 s.
 */
class ManagerStreamsTest {

    private static final Await AWAIT = Await.atMost(Duration.ofSeconds(15)).every(Duration.ofMillis(10));

    private final ManagerServer leader = ManagerServer.standby(
            ListenOptions.insecurePlaintext(new InetSocketAddress("127.0.0.1", 0)), Clock.systemUTC(), "election pending",
            new Refusals(Refusals.LINES_PER_MINUTE, Clock.systemUTC()), 60_000);
    private final List<Long> acks = new CopyOnWriteArrayList<>();
    private final List<String> acksBy = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        logs.start();
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(ManagerServer.class)).addAppender(logs);
        leader.onAcknowledgement(acks::add);
        leader.onAcknowledgementBy((worker, version) -> acksBy.add(worker + "@" + version));
        leader.start();
        leader.leading(5);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", leader.port()).usePlaintext().build();
    }

    @AfterEach
    void stop() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(ManagerServer.class)).detachAppender(logs);
        channel.shutdownNow();
        leader.close();
    }

    private RawStream welcomed(String workerId) throws Exception {
        RawStream stream = new RawStream(channel);
        stream.requests.onNext(Frames.hello(workerId, false, false));
        AWAIT.until(workerId + " welcomed", () -> stream.received.size() == 1);
        assertThat(((ManagerFrame.Welcome) Frames.parseManagerFrame(stream.received.get(0))).epoch()).isEqualTo(5);
        return stream;
    }

    private static TokenContainer container(long version) {
        return TokenContainer.of(version, Map.of("example", ("t" + version).getBytes()));
    }

    /**
     * A worker's acknowledgement of a newer version is recorded once and told to both observers;
     * the same version again, or one of another epoch, is not; the same container offered twice is
     * pushed once. Kills: {@code ManagerServer.acknowledged}'s observer calls removed, {@code
     * WorkerSession.acknowledged}'s {@code version > ackedVersion} made {@code >=} or its call to the
     * server removed, {@code offer}'s {@code version <= offeredVersion} made {@code <}, {@code
     * currentVersion} returning 0, {@code ackedVersion} returning 0, {@code WorkerInfo.lag}, the
     * peer subject "(no TLS)" made "".
     */
    @Test
    void aNewerAcknowledgementIsRecordedAndToldOnceAndAContainerIsPushedOnce() throws Exception {
        assertThat(leader.currentVersion()).isZero();
        RawStream w1 = welcomed("w1");
        leader.onContainer(container(3));
        leader.onContainer(container(3)); // offered again: not pushed again
        AWAIT.until("version 3 pushed", () -> w1.received.size() == 2);
        assertThat(leader.currentVersion()).isEqualTo(3);
        WorkerInfo before = leader.workers().get(0);
        assertThat(before.lag(3)).isEqualTo(3);
        assertThat(before.certificateSubject()).as("plaintext: no certificate to name").isEqualTo("(no TLS)");
        w1.requests.onNext(Frames.ack(5, 3));
        AWAIT.until("the ack recorded", () -> leader.workers().get(0).ackedVersion() == 3);
        w1.requests.onNext(Frames.ack(5, 3)); // again
        w1.requests.onNext(Frames.ack(4, 3)); // another epoch
        leader.onContainer(container(4));
        AWAIT.until("version 4 pushed", () -> w1.received.size() == 3);
        w1.requests.onNext(Frames.ack(5, 4));
        AWAIT.until("the second ack told", () -> acks.size() >= 2);
        assertThat(acks).containsExactly(3L, 4L);
        assertThat(acksBy).containsExactly("w1@3", "w1@4");
        assertThat(leader.workers().get(0).lag(4)).isZero();
        assertThat(leader.workers().get(0).lag(6)).isEqualTo(2);
        assertThat(w1.received).hasSize(3);
    }

    /**
     * A worker closing its stream is answered with the end of the stream and remembered as gone,
     * with what it had acknowledged; one cancelling (its channel shut) too. Kills: {@code
     * WorkerSession.onCompleted}'s {@code end} and {@code out.onCompleted} removed, the cancel
     * handler not set or not ending the session.
     */
    @Test
    void aWorkerThatClosesOrCancelsIsGoneAndRemembered() throws Exception {
        RawStream w1 = welcomed("w1");
        leader.onContainer(container(2));
        AWAIT.until("pushed", () -> w1.received.size() == 2);
        w1.requests.onNext(Frames.ack(5, 2));
        AWAIT.until("acked", () -> acks.size() == 1);
        w1.requests.onCompleted();
        AWAIT.until("the manager ended the stream too", () -> w1.ended.get() != null);
        assertThat(w1.ended.get().getCode()).isEqualTo(Status.Code.OK);
        AWAIT.until("w1 gone", () -> leader.connectedWorkers() == 0);
        assertThat(leader.departedWorkers()).singleElement().satisfies(w -> {
            assertThat(w.workerId()).isEqualTo("w1");
            assertThat(w.ackedVersion()).isEqualTo(2);
            assertThat(w.connected()).isFalse();
        });

        ManagedChannel other = NettyChannelBuilder.forAddress("127.0.0.1", leader.port()).usePlaintext().build();
        try {
            RawStream w2 = new RawStream(other);
            w2.requests.onNext(Frames.hello("w2", false, false));
            AWAIT.until("w2 connected", () -> leader.connectedWorkers() == 1);
            other.shutdownNow();
            AWAIT.until("w2 gone", () -> leader.connectedWorkers() == 0);
            assertThat(leader.departedWorkers()).extracting(WorkerInfo::workerId).containsExactly("w1", "w2");
        } finally {
            other.shutdownNow();
        }
    }

    /**
     * A second connection of the same worker wins: the older stream ends ABORTED naming the new
     * one, and the replacement is logged. Kills: the replacement not closing the older stream, the
     * log budget's {@code dropped >= 0} made {@code > 0} (the first replacement not logged), {@code
     * WorkerSession.address} returning "".
     */
    @Test
    void aSecondConnectionOfAWorkerReplacesTheFirstAndIsLogged() throws Exception {
        RawStream first = welcomed("w1");
        RawStream second = welcomed("w1");
        AWAIT.until("the first ended", () -> first.ended.get() != null);
        assertThat(first.ended.get().getCode()).isEqualTo(Status.Code.ABORTED);
        assertThat(first.ended.get().getDescription()).startsWith("replaced by a newer connection of worker 'w1' from 127.0.0.1:");
        assertThat(second.ended.get()).isNull();
        assertThat(leader.connectedWorkers()).isEqualTo(1);
        assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.matches("Worker 'w1' connected again from 127\\.0\\.0\\.1:\\d+: closing its older"
                        + " connection from 127\\.0\\.0\\.1:\\d+"));
    }

    /**
     * A new leader term ends the streams of the old one (their workers come back and are welcomed
     * under the new epoch). Kills: {@code leading}'s {@code notLeading} calls on the stale sessions
     * removed.
     */
    @Test
    void aNewTermEndsTheStreamsOfTheOld() throws Exception {
        RawStream w1 = welcomed("w1");
        leader.leading(6);
        AWAIT.until("the old term's stream ended", () -> w1.ended.get() != null);
        assertThat(w1.ended.get().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(w1.ended.get().getDescription()).isEqualTo("a new leader term began");
        AWAIT.until("w1 gone", () -> leader.connectedWorkers() == 0);
    }

    /**
     * A leader elected among several (a leader epoch) refuses a protocol-1 worker, which could not
     * be fenced. Kills: {@code WorkerSession.welcome}'s {@code protocol < 2} check negated.
     */
    @Test
    void anElectedLeaderRefusesAProtocolOneWorker() throws Exception {
        RawStream old = new RawStream(channel);
        old.requests.onNext(Frames.helloProtocol1("w-old"));
        AWAIT.until("refused", () -> old.ended.get() != null);
        assertThat(old.ended.get().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(old.ended.get().getDescription()).contains("must speak protocol 2");
        assertThat(leader.connectedWorkers()).isZero();
        RawStream current = welcomed("w-new");
        assertThat(current.ended.get()).isNull();
    }

    /**
     * Stopping ends every stream at once with "manager stopping": the connected workers', the held
     * and the waiting ones' (on a standby). Kills: {@code close}'s {@code shutdown} of the sessions
     * or of the held and waiting ones removed (the streams would end only when the transport is cut,
     * with another status).
     */
    @Test
    void stoppingEndsEveryStreamSayingSo() throws Exception {
        RawStream w1 = welcomed("w1");
        ManagerServer standby = ManagerServer.standby(ListenOptions.insecurePlaintext(new InetSocketAddress("127.0.0.1", 0)),
                Clock.systemUTC(), "election pending", new Refusals(Refusals.LINES_PER_MINUTE, Clock.systemUTC()), 60_000);
        standby.start();
        ManagedChannel toStandby = NettyChannelBuilder.forAddress("127.0.0.1", standby.port()).usePlaintext().build();
        try {
            RawStream held = new RawStream(toStandby);
            held.requests.onNext(Frames.hello("w2", false, true));
            RawStream waiting = new RawStream(toStandby);
            waiting.requests.onNext(Frames.hello("w3", true, false));
            AWAIT.until("held and waiting", () -> standby.heldWorkers() == 1 && standby.waitingWorkers() == 1);
            standby.close();
            leader.close();
            for (RawStream s : List.of(w1, held, waiting)) {
                AWAIT.until("ended", () -> s.ended.get() != null);
                assertThat(s.ended.get().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(s.ended.get().getDescription()).isEqualTo("manager stopping");
            }
            assertThat(standby.heldWorkers()).isZero();
            assertThat(standby.waitingWorkers()).isZero();
        } finally {
            toStandby.shutdownNow();
            standby.close();
        }
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).anyMatch(m -> m.matches(
                "Remote manager listening on 127\\.0\\.0\\.1:\\d+ \\(plaintext\\), not leading: election pending"));
    }

    /**
     * Once the host stops, the smaller containers its leaving providers leave are not pushed: a
     * planned restart of the manager must not withdraw the workers' tokens. Kills: the {@code
     * hostStopping} check in {@code onContainer} removed.
     */
    @Test
    void aStoppingHostPushesNoMoreContainersSoWorkersKeepTheirTokens() throws Exception {
        RawStream w1 = welcomed("w1");
        leader.onContainer(container(2));
        AWAIT.until("version 2 pushed", () -> w1.received.size() == 2);

        leader.hostStopping();
        leader.onContainer(TokenContainer.of(3, Map.of())); // the provider left as its bundle stopped

        Await.holdsFor(Duration.ofMillis(300), "no push after the host began to stop", () -> w1.received.size() == 2);
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .contains("The host stops: no more containers go to the workers; they keep their tokens until a manager"
                        + " pushes again or the tokens expire");
    }
}
