package io.tokenhost.itests.process;

import static io.tokenhost.itests.process.RemoteHosts.certificates;
import static io.tokenhost.itests.process.RemoteHosts.exampleManager;
import static io.tokenhost.itests.process.RemoteHosts.freePort;
import static io.tokenhost.itests.process.RemoteHosts.ok;
import static io.tokenhost.itests.process.RemoteHosts.start;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import io.tokenhost.remote.tls.TlsContexts;
import io.tokenhost.remote.wire.DistributionProtocol;
import io.tokenhost.remote.wire.Frames;
import io.tokenhost.remote.wire.ManagerFrame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A real manager process and a hostile but authenticated client (a trusted worker certificate) in
 * this JVM: a flood of malformed frames, streams that never say hello, and an acknowledgement of a
 * version never sent; and a client without a certificate. Each is refused and counted in {@code token:workers}, and all refusal lines
 * together stay within the shared budget of ten a minute. The counters are also a service ({@code tokenhost.counters=remote}).
 */
class RemoteRefusalsIT {

    private static final Await AWAIT = Await.atMost(Duration.ofSeconds(30));
    /**
     * For conditions in this JVM (a stream's end, a channel's state) that are cheap to look at: the
     * 120 streams are opened one after the other, and 100 ms polls would add about 12 s.
     */
    private static final Await IN_JVM = AWAIT.every(Duration.ofMillis(5));
    private static final int MALFORMED = 100;
    private static final int SILENT = 20;

    @Test
    void malformedFramesHelloLessStreamsAndOverHighAcksAreRefusedCountedAndLoggedWithinTheBudget() throws Exception {
        long began = System.nanoTime();
        try (Installation manager = Installation.unpack("remote-refusals")) {
            Path tls = manager.dir.resolve("tls");
            certificates(manager, tls, "Refusals CA", "manager", "w1");
            int port = freePort();
            exampleManager(manager, port, tls);
            start(manager);
            manager.awaitReady();
            List<ManagedChannel> channels = new ArrayList<>();
            ManagedChannel channel = channel(channels, port, tls);
            try {
                // streams that never say hello, one connection each (the manager allows 4 streams a
                // connection): opened first, closed by the hello deadline (5 s)
                List<RawStream> silent = new ArrayList<>();
                for (int i = 0; i < SILENT; i++) {
                    // one TLS handshake at a time: twenty at once on a loaded machine can outlast the
                    // client's handshake timeout, and such a stream ends UNAVAILABLE, not at the deadline
                    ManagedChannel own = channel(channels, port, tls);
                    IN_JVM.until("silent stream " + i + "'s connection ready",
                            () -> own.getState(true) == io.grpc.ConnectivityState.READY);
                    silent.add(new RawStream(own));
                }
                // a flood of malformed frames, one stream each
                for (int i = 0; i < MALFORMED; i++) {
                    RawStream raw = new RawStream(channel);
                    raw.requests.onNext(new byte[] {0x7f, 1, 2, 3});
                    IN_JVM.until("malformed stream " + i + " closed", () -> raw.ended.get() != null);
                    assertThat(raw.ended.get().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                }
                AWAIT.until("the hello-less streams closed", () -> silent.stream().allMatch(s -> s.ended.get() != null));
                assertThat(silent).allSatisfy(s -> assertThat(s.ended.get().getCode()).as(s.ended.get().toString())
                        .isEqualTo(Status.Code.DEADLINE_EXCEEDED));

                // an acknowledgement of a version never sent
                RawStream worker = new RawStream(channel);
                worker.requests.onNext(Frames.hello("w1"));
                AWAIT.until("welcome and the current container", () -> worker.received.size() >= 2);
                long epoch = ((ManagerFrame.Welcome) Frames.parseManagerFrame(worker.received.get(0))).epoch();
                worker.requests.onNext(Frames.ack(epoch, Long.MAX_VALUE));

                // a client without a certificate: refused in the TLS handshake, counted there
                ManagedChannel anonymous = NettyChannelBuilder.forAddress("localhost", port)
                        .sslContext(TlsContexts.anonymousClient(tls.resolve("ca.crt"))).build();
                channels.add(anonymous);
                RawStream refused = new RawStream(anonymous);
                refused.requests.onNext(Frames.hello("w1"));
                AWAIT.until("the certificate-less client refused", () -> refused.ended.get() != null);
                assertThat(refused.received).isEmpty();

                String workers = AWAIT.until("the refusals counted", () -> ok(manager, "token:workers"),
                        out -> count(out, "acks-above-sent") == 1 && count(out, "tls-handshakes-failed") >= 1);
                assertThat(count(workers, "malformed-frames")).isEqualTo(MALFORMED);
                assertThat(count(workers, "hello-timeouts")).isEqualTo(SILENT);
                assertThat(workers).doesNotContain(Long.toString(Long.MAX_VALUE));
                assertThat(worker.ended.get()).as("the worker's stream stays open").isNull();
                worker.requests.onCompleted();

                // the same counters as a service for a metrics endpoint (Supplier, tokenhost.counters=remote)
                Matcher remote = Pattern.compile("(?m)^\\s*(\\d+)\\|Active\\s*\\|\\s*\\d+\\|io\\.tokenhost\\.remote ")
                        .matcher(ok(manager, "lb -s"));
                assertThat(remote.find()).as("the remote bundle active").isTrue();
                String services = ok(manager, "inspect capability service " + remote.group(1));
                assertThat(services.split("\\R\\s*\\R")).as(services)
                        .anySatisfy(service -> assertThat(service).contains("java.util.function.Supplier", "tokenhost.counters = remote"));
            } finally {
                channels.forEach(ManagedChannel::shutdownNow);
            }
            long minutes = Duration.ofNanos(System.nanoTime() - began).toMinutes() + 1;
            long refusalLines = Installation.read(manager.log()).lines()
                    .filter(l -> l.contains(" WARN ") && (l.contains("Refused a") || l.contains("that sent no hello")
                            || l.contains("did not complete the TLS handshake"))).count();
            System.out.printf("[figures] %d malformed frames, %d hello-less streams, 1 over-high ack: %d refusal log lines%n",
                    MALFORMED, SILENT, refusalLines);
            assertThat(refusalLines).as("refusal lines, one budget of 10 a minute").isBetween(1L, 10 * minutes);
        }
    }

    private static ManagedChannel channel(List<ManagedChannel> channels, int port, Path tls) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", port)
                .sslContext(TlsContexts.client(tls.resolve("ca.crt"), tls.resolve("w1.crt"), tls.resolve("w1.key")))
                .build();
        channels.add(channel);
        return channel;
    }

    private static long count(String workers, String counter) {
        Matcher m = Pattern.compile(Pattern.quote(counter) + " (\\d+)").matcher(workers);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** A raw subscription: every frame received and how the stream ended. */
    private static final class RawStream {
        final List<byte[]> received = new CopyOnWriteArrayList<>();
        final AtomicReference<Status> ended = new AtomicReference<>();
        final StreamObserver<byte[]> requests;

        RawStream(ManagedChannel channel) {
            requests = ClientCalls.asyncBidiStreamingCall(channel.newCall(DistributionProtocol.SUBSCRIBE, CallOptions.DEFAULT),
                    new StreamObserver<>() {
                        @Override
                        public void onNext(byte[] value) {
                            received.add(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            ended.set(Status.fromThrowable(t));
                        }

                        @Override
                        public void onCompleted() {
                            ended.set(Status.OK);
                        }
                    });
        }
    }
}
