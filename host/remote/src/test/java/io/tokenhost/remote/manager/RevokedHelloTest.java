package io.tokenhost.remote.manager;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.itests.support.Await;
import io.tokenhost.remote.RawStream;
import io.tokenhost.remote.logging.Refusals;
import io.tokenhost.remote.tls.RevocationList;
import io.tokenhost.remote.wire.Frames;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A revoked worker whose connection got past the TLS handshake (a reconnect that resumed an earlier
 * TLS session does not consult the trust manager; seen with real processes in
 * ScopesRotationRevocationIT) is refused at its hello: no frame at all, not even the welcome (a
 * welcomed worker would reset its backoff and knock again at once), counted as an untrusted
 * certificate, and logged through the shared budget. Plaintext and a deny list here: the check at
 * the hello is the same for a CRL. About 1 s.
 */
class RevokedHelloTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final Refusals refusals = new Refusals(Refusals.LINES_PER_MINUTE, Clock.systemUTC());
    private final ManagerServer manager = new ManagerServer(
            ListenOptions.insecurePlaintext(new InetSocketAddress("127.0.0.1", 0)), Clock.systemUTC(), refusals);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private ManagedChannel channel;

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        manager.close();
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(WorkerSession.class)).detachAppender(logs);
    }

    /** Fails if the manager welcomes a revoked worker, or logs each of its reconnects. */
    @Test
    void aRevokedWorkerIsRefusedAtItsHelloWithoutAWelcomeCountedAndRateLimited() throws Exception {
        logs.start();
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(WorkerSession.class)).addAppender(logs);
        manager.start();
        manager.onContainer(TokenContainer.of(1, Map.of("x", new byte[] {42})));
        manager.revocations(new RevocationList(List.of(), Set.of("w1")));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", manager.port()).usePlaintext().build();

        List<RawStream> knocks = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            RawStream revoked = new RawStream(channel);
            revoked.requests.onNext(Frames.hello("w1"));
            Await.atMost(WAIT).every(Duration.ofMillis(10)).until("the revoked worker's stream closed", () -> revoked.ended.get() != null);
            knocks.add(revoked);
        }
        for (RawStream revoked : knocks) {
            assertThat(revoked.ended.get().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(revoked.ended.get().getDescription()).isEqualTo("revoked: worker id 'w1' is in revocation.deny-list");
            assertThat(revoked.received).as("no frame at all, not even the welcome").isEmpty();
        }
        assertThat(refusals.count(Refusals.Kind.UNTRUSTED_CERTIFICATE)).isEqualTo(15);
        List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("'w1'")).toList();
        assertThat(lines).as("at most 10 lines a minute, no 'connected' line").hasSize(Refusals.LINES_PER_MINUTE)
                .allSatisfy(l -> assertThat(l).startsWith("Refused worker 'w1' from 127.0.0.1:")
                        .contains("at its hello: revoked: worker id 'w1' is in revocation.deny-list"));
        assertThat(manager.workers()).isEmpty();

        RawStream other = new RawStream(channel); // another worker is served as ever
        other.requests.onNext(Frames.hello("w2"));
        Await.atMost(WAIT).every(Duration.ofMillis(10)).until("w2 welcomed and sent the container", () -> other.received.size() == 2);
    }
}
