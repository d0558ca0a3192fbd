package io.tokenhost.remote.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.stub.ServerCallStreamObserver;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.remote.wire.Frames;
import io.tokenhost.remote.wire.ManagerFrame;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The per-worker slot, driven deterministically through a stand-in for gRPC's stream observer:
 * while a worker's transport is not ready, offered containers collapse into the newest one.
 */
class WorkerSessionTest {

    /** Records frames; "ready" is steered by the test. */
    static final class FakeStream extends ServerCallStreamObserver<byte[]> {
        final List<byte[]> sent = new ArrayList<>();
        boolean ready = true;
        Runnable onReady;
        Throwable error;

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setOnReadyHandler(Runnable handler) {
            onReady = handler;
        }

        @Override
        public void onNext(byte[] value) {
            sent.add(value);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onCompleted() {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void setOnCancelHandler(Runnable handler) {
        }

        @Override
        public void setCompression(String compression) {
        }

        @Override
        public void disableAutoInboundFlowControl() {
        }

        @Override
        public void request(int count) {
        }

        @Override
        public void setMessageCompression(boolean enable) {
        }

        List<Long> pushedVersions() throws Exception {
            List<Long> versions = new ArrayList<>();
            for (byte[] frame : sent) {
                if (Frames.parseManagerFrame(frame) instanceof ManagerFrame.Push push) {
                    versions.add(push.container().version());
                }
            }
            return versions;
        }
    }

    private final ManagerServer server = new ManagerServer(
            ListenOptions.insecurePlaintext(new InetSocketAddress("127.0.0.1", 0)), Clock.systemUTC());
    private final FakeStream stream = new FakeStream();
    private final WorkerSession session = anyId(1, stream);

    /** A session whose worker may claim any id, as without TLS. */
    private WorkerSession anyId(long id, FakeStream out) {
        return new WorkerSession(id, server, out, "10.0.0.1:5000", "CN=w", null, Optional.empty(), Clock.systemUTC());
    }

    private static TokenContainer container(long version) {
        return TokenContainer.of(version, Map.of("example", new byte[] {(byte) version}));
    }

    @Test
    void aWorkerThatIsNotReadyHoldsOnlyTheNewestContainer() throws Exception {
        session.onNext(Frames.hello("w"));
        assertThat(Frames.parseManagerFrame(stream.sent.get(0))).isEqualTo(new ManagerFrame.Welcome(server.epoch(), false));
        assertThat(server.connectedWorkers()).isEqualTo(1);

        stream.ready = false;
        for (long v = 1; v <= 100; v++) {
            server.onContainer(container(v));
        }
        assertThat(stream.pushedVersions()).as("nothing written while not ready").isEmpty();

        stream.ready = true;
        stream.onReady.run();
        assertThat(stream.pushedVersions()).containsExactly(100L);
        stream.onReady.run();
        assertThat(stream.pushedVersions()).as("nothing left to write").containsExactly(100L);
    }

    @Test
    void aReadyWorkerGetsEveryVersionAndItsAcknowledgementsAreRecorded() throws Exception {
        server.onContainer(container(1));
        session.onNext(Frames.hello("w"));
        assertThat(stream.pushedVersions()).as("the current container at once").containsExactly(1L);
        server.onContainer(container(2));
        assertThat(stream.pushedVersions()).containsExactly(1L, 2L);

        session.onNext(Frames.ack(server.epoch(), 2));
        session.onNext(Frames.ack(server.epoch() + 1, 9)); // another manager's epoch: ignored
        session.onNext(Frames.ack(server.epoch(), 1)); // older: ignored
        WorkerInfo info = server.workers().get(0);
        assertThat(info.ackedVersion()).isEqualTo(2);
        assertThat(info.sentVersion()).isEqualTo(2);
        assertThat(info.workerId()).isEqualTo("w");
        assertThat(info.lag(server.currentVersion())).isZero();
        assertThat(info.lastAck()).isPresent();
    }

    @Test
    void aWorkerThatLeavesIsRememberedWithItsLastAcknowledgementUntilItComesBack() throws Exception {
        server.onContainer(container(4));
        session.onNext(Frames.hello("w"));
        session.onNext(Frames.ack(server.epoch(), 4));
        session.onError(new java.io.IOException("connection reset"));
        assertThat(server.connectedWorkers()).isZero();
        assertThat(server.departedWorkers()).singleElement().satisfies(w -> {
            assertThat(w.workerId()).isEqualTo("w");
            assertThat(w.ackedVersion()).isEqualTo(4);
            assertThat(w.connected()).isFalse();
        });

        WorkerSession back = anyId(2, new FakeStream());
        back.onNext(Frames.hello("w"));
        assertThat(server.departedWorkers()).isEmpty();
        assertThat(server.workers()).singleElement().satisfies(w -> assertThat(w.connected()).isTrue());
    }

    @Test
    void anAckBeforeTheHelloOrASecondHelloClosesTheStream() throws Exception {
        session.onNext(Frames.ack(server.epoch(), 1));
        assertThat(stream.error).hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("an ack before the hello");
        assertThat(server.connectedWorkers()).isZero();

        FakeStream other = new FakeStream();
        WorkerSession twice = anyId(2, other);
        twice.onNext(Frames.hello("x"));
        twice.onNext(Frames.hello("x"));
        assertThat(other.error).hasMessageContaining("a second hello");
        assertThat(server.connectedWorkers()).isZero();
    }

    /**
     * A refused worker id's status names the certificate's CN printable: control characters
     * replaced, cut at 128 characters with an ellipsis, a CN of exactly 128 kept whole. Kills: {@code
     * printable}'s {@code length > 128} made {@code >=}.
     */
    @Test
    void aRefusedIdNamesTheCertificatesCnPrintableAndCutAt128Characters() throws Exception {
        String cn128 = "c".repeat(127) + "\n";
        FakeStream exact = new FakeStream();
        new WorkerSession(3, server, exact, "10.0.0.1:5000", "CN=x", null, Optional.of(cn128), Clock.systemUTC())
                .onNext(Frames.hello("intruder"));
        assertThat(exact.error).hasMessageContaining("PERMISSION_DENIED")
                .hasMessageContaining("does not match the client certificate's CN '" + "c".repeat(127) + "?'");

        FakeStream longer = new FakeStream();
        new WorkerSession(4, server, longer, "10.0.0.1:5000", "CN=x", null, Optional.of("d".repeat(129)), Clock.systemUTC())
                .onNext(Frames.hello("intruder"));
        assertThat(longer.error).hasMessageContaining("CN '" + "d".repeat(128) + "\u2026'");
        assertThat(server.connectedWorkers()).isZero();
    }
}
