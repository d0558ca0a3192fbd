package io.tokenhost.remote.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.distribution.TokenContainerCodec;
import io.tokenhost.itests.support.Await;
import io.tokenhost.remote.wire.DistributionProtocol;
import io.tokenhost.remote.wire.Frames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The worker pings an idle manager connection every {@code keepAlive} (HTTP/2 PING), which is how
 * it notices a manager that died without closing the connection. Seen on the wire, through a
 * plaintext relay that records what the worker sends. Takes about 12 s (gRPC allows no keepalive
 * below 10 s); it kills no PIT mutant (a builder call is not one), so the mutation run leaves it out.
 *
 * <p>Kills: dropping {@code keepAliveTime(...)} from the worker's channel (gRPC then never pings).
 */
class KeepAliveTest {

    @Test
    void anIdleConnectionToTheManagerIsPingedAtTheKeepAliveInterval() throws Exception {
        ServerServiceDefinition service = ServerServiceDefinition.builder(DistributionProtocol.SERVICE)
                .addMethod(DistributionProtocol.SUBSCRIBE, ServerCalls.asyncBidiStreamingCall(responses ->
                        new StreamObserver<byte[]>() {
                            @Override
                            public void onNext(byte[] frame) {
                                if (frame[0] == Frames.HELLO) {
                                    responses.onNext(Frames.welcome(7, false));
                                    responses.onNext(Frames.push(7, TokenContainerCodec.encode(
                                            TokenContainer.of(1, Map.of("hdfs", new byte[] {1})))));
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                            }

                            @Override
                            public void onCompleted() {
                                responses.onCompleted();
                            }
                        })).build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service)
                .permitKeepAliveTime(1, TimeUnit.SECONDS).build().start();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        List<TokenContainer> applied = new CopyOnWriteArrayList<>();
        try (ServerSocket relay = new ServerSocket(0)) {
            ByteArrayOutputStream fromWorker = new ByteArrayOutputStream();
            Thread relaying = new Thread(() -> relay(relay, server.getPort(), fromWorker), "relay");
            relaying.setDaemon(true);
            relaying.start();
            try (WorkerClient client = new WorkerClient(ConnectionOptions.insecurePlaintext("127.0.0.1",
                    relay.getLocalPort(), "w1", Duration.ofSeconds(10)), applied::add,
                    new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), 0, () -> 0.5), scheduler,
                    Clock.systemUTC())) {
                client.start();
                Await.atMost(Duration.ofSeconds(20)).every(Duration.ofMillis(5))
                        .until("the container applied", () -> applied.size() == 1);
                int settled;
                synchronized (fromWorker) {
                    settled = fromWorker.size();
                }
                Await.atMost(Duration.ofSeconds(16)).every(Duration.ofMillis(50)).until("a PING from the idle worker",
                        () -> hasPing(snapshot(fromWorker), settled));
            }
        } finally {
            server.shutdownNow();
            scheduler.shutdownNow();
        }
    }

    private static byte[] snapshot(ByteArrayOutputStream bytes) {
        synchronized (bytes) {
            return bytes.toByteArray();
        }
    }

    /** Whether an HTTP/2 PING frame (type 6, not an ACK) starts at a frame boundary at or after {@code from}. */
    private static boolean hasPing(byte[] sent, int from) {
        int at = 24; // after the client preface "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
        while (at + 9 <= sent.length) {
            int length = ((sent[at] & 0xFF) << 16) | ((sent[at + 1] & 0xFF) << 8) | (sent[at + 2] & 0xFF);
            if (at >= from && sent[at + 3] == 6 && (sent[at + 4] & 1) == 0) {
                return true;
            }
            at += 9 + length;
        }
        return false;
    }

    /** Accepts one connection and relays it to {@code port}, recording what the worker sends. */
    private static void relay(ServerSocket relay, int port, ByteArrayOutputStream fromWorker) {
        try (Socket worker = relay.accept(); Socket manager = new Socket("127.0.0.1", port)) {
            Thread back = new Thread(() -> copy(manager, worker, null), "relay-back");
            back.setDaemon(true);
            back.start();
            copy(worker, manager, fromWorker);
        } catch (IOException e) {
            // the relay closed with the test
        }
    }

    private static void copy(Socket from, Socket to, ByteArrayOutputStream record) {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (record != null) {
                    synchronized (record) {
                        record.write(buffer, 0, n);
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // connection closed
        }
    }
}
