package io.tokenhost.remote.manager;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real standby manager (high availability) on loopback refuses and counts like a leader: a
 * stream without a hello is closed at the hello deadline, a malformed frame is refused; a pre-held
 * stream (hello flag hold) outlives the deadline however long it is held, an ACK on it before its
 * welcome is refused (nothing was sent), and once elected only ACKs up to the version sent count.
 * A worker merely sent on to the leader is no refusal. About 2 s (hello deadline 300 ms here).
 */
class StandbyRefusalsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration HELLO_TIMEOUT = Duration.ofMillis(300);

    private final Refusals refusals = new Refusals(Refusals.LINES_PER_MINUTE, Clock.systemUTC());
    private final ManagerServer standby = ManagerServer.standby(
            ListenOptions.insecurePlaintext(new InetSocketAddress("127.0.0.1", 0)), Clock.systemUTC(), "election pending",
            refusals).helloTimeout(HELLO_TIMEOUT);
    private ManagedChannel channel;

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        standby.close();
    }

    @Test
    void aStandbyRefusesAndCountsLikeALeaderAndNeverClosesAHeldStreamForWantOfAHello() throws Exception {
        standby.start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", standby.port()).usePlaintext().build();

        RawStream silent = new RawStream(channel);
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("the hello-less stream closed", () -> silent.ended.get() != null);
        assertThat(silent.ended.get().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);

        RawStream malformed = new RawStream(channel);
        malformed.requests.onNext(new byte[] {0x7f, 1, 2, 3});
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("the malformed stream closed", () -> malformed.ended.get() != null);
        assertThat(malformed.ended.get().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

        RawStream held = new RawStream(channel);
        held.requests.onNext(Frames.hello("w1", false, true));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("the pre-held stream held", () -> standby.heldWorkers() == 1);
        Thread.sleep(HELLO_TIMEOUT.multipliedBy(3).toMillis());
        assertThat(held.ended.get()).as("held beyond the hello deadline").isNull();
        assertThat(standby.heldWorkers()).isEqualTo(1);

        held.requests.onNext(Frames.ack(0, 5)); // nothing was sent on it yet
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("the ACK before the welcome refused", () -> refusals.count(Refusals.Kind.ACK_ABOVE_SENT) == 1);
        assertThat(held.ended.get()).as("still held").isNull();
        assertThat(standby.heldWorkers()).isEqualTo(1);

        RawStream sentOn = new RawStream(channel); // a worker without flags: sent to the leader, not refused
        sentOn.requests.onNext(Frames.hello("w2"));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("the worker sent on", () -> sentOn.ended.get() != null);
        assertThat(sentOn.ended.get().getCode()).isEqualTo(Status.Code.UNAVAILABLE);

        standby.leading(7);
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("the held stream welcomed", () -> held.received.size() == 1);
        assertThat(((ManagerFrame.Welcome) Frames.parseManagerFrame(held.received.get(0))).epoch()).isEqualTo(7);
        standby.onContainer(TokenContainer.of(1, Map.of("example", "t".getBytes())));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("version 1 pushed", () -> held.received.size() == 2);
        held.requests.onNext(Frames.ack(7, 2));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("the ACK above the version sent refused", () -> refusals.count(Refusals.Kind.ACK_ABOVE_SENT) == 2);
        held.requests.onNext(Frames.ack(7, 1));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("the true ACK recorded", () -> standby.workers().get(0).ackedVersion() == 1);
        assertThat(held.ended.get()).as("the welcomed stream stays open").isNull();

        assertThat(refusals.counts()).containsExactly(Map.entry("tls-handshakes-failed", 0L),
                Map.entry("untrusted-certificates", 0L), Map.entry("worker-ids-refused", 0L),
                Map.entry("malformed-frames", 1L), Map.entry("hello-timeouts", 1L), Map.entry("acks-above-sent", 2L));
    }
}
