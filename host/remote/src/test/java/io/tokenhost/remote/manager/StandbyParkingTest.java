package io.tokenhost.remote.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tokenhost.itests.support.Await;
import io.tokenhost.remote.RawStream;
import io.tokenhost.remote.logging.Refusals;
import io.tokenhost.remote.wire.Frames;
import io.tokenhost.remote.wire.ManagerFrame;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real standby on loopback and the workers that ask it to wait for a leader (hello flag
 * wait-for-leader): it holds them, silent, until it leads (welcomes them), learns of a leader
 * (sends them there) or its park limit passes (ends them, naming no leader). The park limit is 400 ms
 * here (20 s in production); about 2 s in all.
 */
class StandbyParkingTest {

    private static final long PARK_LIMIT_MILLIS = 400;
    private static final Await AWAIT = Await.atMost(Duration.ofSeconds(15)).every(Duration.ofMillis(10));

    private final ManagerServer standby = ManagerServer.standby(
            ListenOptions.insecurePlaintext(new InetSocketAddress("127.0.0.1", 0)), Clock.systemUTC(), "election pending",
            new Refusals(Refusals.LINES_PER_MINUTE, Clock.systemUTC()), PARK_LIMIT_MILLIS);
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        standby.start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", standby.port()).usePlaintext().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        standby.close();
    }

    private RawStream waiting(String workerId) {
        RawStream stream = new RawStream(channel);
        stream.requests.onNext(Frames.hello(workerId, true, false));
        return stream;
    }

    /**
     * A waiting worker is held, silent, and counted as waiting; once the park limit passed its stream
     * ends UNAVAILABLE with the leader trailer "-" (a standby answered, no leader known). Kills: the
     * park limit's {@code unpark} not scheduled or not ending the stream, {@code park}'s "leading or
     * term changed" check negated (the worker refused at once), {@code waitingWorkers} returning 0,
     * the trailer not put (or null trailers: the worker could not tell a standby from a broken
     * stream), the status description emptied of "no leader known".
     */
    @Test
    void aWaitingWorkerIsHeldUntilTheParkLimitThenToldNoLeaderIsKnown() throws Exception {
        RawStream worker = waiting("w1");
        AWAIT.until("the worker waits at the standby", () -> standby.waitingWorkers() == 1);
        long heldAt = System.nanoTime();
        assertThat(worker.ended.get()).isNull();
        assertThat(worker.received).as("nothing sent while it waits").isEmpty();

        AWAIT.until("the park limit ended the stream", () -> worker.ended.get() != null);
        assertThat(Duration.ofNanos(System.nanoTime() - heldAt)).as("held about the park limit")
                .isGreaterThanOrEqualTo(Duration.ofMillis(PARK_LIMIT_MILLIS / 2));
        assertThat(worker.ended.get().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(worker.ended.get().getDescription()).contains("does not lead (election pending)", "no leader known");
        assertThat(worker.leaderTrailer.get()).isEqualTo("-");
        assertThat(standby.waitingWorkers()).isZero();
        assertThat(standby.connectedWorkers()).isZero();
    }

    /**
     * A standby that learns of a leader sends its waiting workers there at once (the trailer names
     * it). Kills: {@code standingBy}'s "a leader is
     * known" branch negated or its {@code notLeading} calls removed (the worker would wait out the
     * park limit instead), the parked set not cleared (the worker counted as waiting still).
     */
    @Test
    void aStandbyThatLearnsOfALeaderSendsItsWaitingWorkersThere() throws Exception {
        RawStream worker = waiting("w1");
        AWAIT.until("the worker waits at the standby", () -> standby.waitingWorkers() == 1);

        standby.standingBy("standby", Optional.of("10.0.0.9:7443"));

        AWAIT.until("the waiting worker sent on", () -> worker.ended.get() != null);
        assertThat(worker.ended.get().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(worker.ended.get().getDescription()).contains("the leader is 10.0.0.9:7443");
        assertThat(worker.leaderTrailer.get()).isEqualTo("10.0.0.9:7443");
        assertThat(standby.waitingWorkers()).isZero();

    }

    /**
     * Without a leader known, a standby's change of reason keeps its waiting workers (nobody to send
     * them to); elected, it welcomes every waiting and pre-held worker under its epoch. Kills:
     * {@code standingBy} ending the waiting workers with no leader known (its condition negated),
     * {@code leading} not welcoming the waiting ones or not clearing the parked and held sets.
     */
    @Test
    void anElectedStandbyWelcomesItsWaitingAndHeldWorkers() throws Exception {
        RawStream waiting = waiting("w1");
        RawStream held = new RawStream(channel);
        held.requests.onNext(Frames.hello("w2", false, true));
        AWAIT.until("one waits, one is held", () -> standby.waitingWorkers() == 1 && standby.heldWorkers() == 1);

        standby.standingBy("still no leader", Optional.empty());
        assertThat(standby.waitingWorkers()).as("no leader to send it to: it keeps waiting").isEqualTo(1);

        standby.leading(42);

        AWAIT.until("both welcomed", () -> waiting.received.size() == 1 && held.received.size() == 1);
        for (RawStream s : java.util.List.of(waiting, held)) {
            ManagerFrame.Welcome welcome = (ManagerFrame.Welcome) Frames.parseManagerFrame(s.received.get(0));
            assertThat(welcome.epoch()).isEqualTo(42);
            assertThat(welcome.leaderEpoch()).isTrue();
        }
        assertThat(standby.waitingWorkers()).isZero();
        assertThat(standby.heldWorkers()).isZero();
        AWAIT.until("both connected", () -> standby.connectedWorkers() == 2);
        Thread.sleep(PARK_LIMIT_MILLIS + 200); // the park limit passes: a welcomed worker is not ended by it
        assertThat(waiting.ended.get()).isNull();
        assertThat(standby.connectedWorkers()).isEqualTo(2);
    }
}
