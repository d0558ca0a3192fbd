package io.tokenhost.remote;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.remote.wire.DistributionProtocol;
import io.tokenhost.remote.wire.Frames;
import io.tokenhost.remote.wire.ManagerFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A worker without WorkerClient: says hello, acknowledges every push, and keeps every raw frame the
 * manager sent it, so a test sees exactly what left the manager for it (nothing filtered on the way).
 */
public final class RawWorker implements AutoCloseable {

    public final List<byte[]> raw = new CopyOnWriteArrayList<>();
    public final List<TokenContainer> pushed = new CopyOnWriteArrayList<>();
    public final List<Long> receivedAtNanos = new CopyOnWriteArrayList<>();
    public final AtomicReference<Status> ended = new AtomicReference<>();
    public final AtomicLong endedAtNanos = new AtomicLong();
    private final ManagedChannel channel;

    public RawWorker(int port, String id, SslContext tls) {
        channel = NettyChannelBuilder.forAddress("localhost", port).sslContext(tls).build();
        @SuppressWarnings("unchecked")
        StreamObserver<byte[]>[] self = new StreamObserver[1];
        self[0] = ClientCalls.asyncBidiStreamingCall(channel.newCall(DistributionProtocol.SUBSCRIBE, CallOptions.DEFAULT),
                new StreamObserver<>() {
                    @Override
                    public void onNext(byte[] frame) {
                        raw.add(frame);
                        try {
                            if (Frames.parseManagerFrame(frame) instanceof ManagerFrame.Push push) {
                                receivedAtNanos.add(System.nanoTime());
                                pushed.add(push.container());
                                self[0].onNext(Frames.ack(push.epoch(), push.container().version()));
                            }
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        endedAtNanos.set(System.nanoTime());
                        ended.set(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        endedAtNanos.set(System.nanoTime());
                        ended.set(Status.OK);
                    }
                });
        self[0].onNext(Frames.hello(id));
    }

    public TokenContainer last() {
        return pushed.get(pushed.size() - 1);
    }

    /** Every byte received, as Latin-1 text (to search for canaries). */
    public String everythingReceived() {
        StringBuilder all = new StringBuilder();
        raw.forEach(f -> all.append(new String(f, StandardCharsets.ISO_8859_1)));
        return all.toString();
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
