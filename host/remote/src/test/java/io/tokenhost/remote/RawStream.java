package io.tokenhost.remote;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.tokenhost.remote.wire.DistributionProtocol;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** A raw subscription (no WorkerClient), for tests: every frame received and how the stream ended. */
public final class RawStream {
    public final List<byte[]> received = new CopyOnWriteArrayList<>();
    public final AtomicReference<Status> ended = new AtomicReference<>();
    /** The {@link DistributionProtocol#LEADER} trailer the stream ended with, if any (set before {@link #ended}). */
    public final AtomicReference<String> leaderTrailer = new AtomicReference<>();
    public final StreamObserver<byte[]> requests;

    public RawStream(ManagedChannel channel) {
        requests = ClientCalls.asyncBidiStreamingCall(channel.newCall(DistributionProtocol.SUBSCRIBE, CallOptions.DEFAULT),
                new StreamObserver<>() {
                    @Override
                    public void onNext(byte[] value) {
                        received.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        Metadata trailers = Status.trailersFromThrowable(t);
                        if (trailers != null) {
                            leaderTrailer.set(trailers.get(DistributionProtocol.LEADER));
                        }
                        ended.set(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        ended.set(Status.OK);
                    }
                });
    }
}
