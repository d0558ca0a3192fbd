package io.tokenhost.remote.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.distribution.TokenContainerCodec;
import io.tokenhost.remote.wire.DistributionProtocol;
import io.tokenhost.remote.wire.Frames;
import io.tokenhost.remote.wire.MalformedFrameException;
import io.tokenhost.remote.wire.WorkerFrame;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A manager the test plays by hand (a bare gRPC server on loopback, plaintext): every stream a
 * worker opens arrives as an {@link Incoming} with its hello; the test answers it as a leader, a
 * standby, a deposed leader or a broken connection would.
 */
final class ScriptedManagers {

    /** Everything here happens on loopback within milliseconds: a mutant that breaks a path fails in 5 s, before PIT times it out. */
    static final Duration WAIT = Duration.ofSeconds(5);

    private ScriptedManagers() {
    }

    /** One subscription stream a worker opened, after its hello. */
    static final class Incoming {
        final WorkerFrame.Hello hello;
        private final ServerCallStreamObserver<byte[]> responses;
        final List<WorkerFrame.Ack> acks = new CopyOnWriteArrayList<>();
        /** The worker half-closed the stream (it closed). */
        final AtomicBoolean completedByWorker = new AtomicBoolean();
        /** The worker cancelled the stream (shut its channel down) or the connection broke. */
        final AtomicBoolean cancelled;

        Incoming(WorkerFrame.Hello hello, ServerCallStreamObserver<byte[]> responses, AtomicBoolean cancelled) {
            this.hello = hello;
            this.responses = responses;
            this.cancelled = cancelled;
        }

        synchronized void welcome(long epoch, boolean leaderEpoch) {
            responses.onNext(Frames.welcome(epoch, leaderEpoch));
        }

        synchronized void push(long epoch, long version, String token) {
            responses.onNext(Frames.push(epoch, TokenContainerCodec.encode(TokenContainer.of(version,
                    Map.of("hdfs", token.getBytes(StandardCharsets.UTF_8))))));
        }

        /** Ends the stream as a standby does: UNAVAILABLE with the leader trailer ("-": none known). */
        synchronized void standby(String leader) {
            Metadata trailers = new Metadata();
            trailers.put(DistributionProtocol.LEADER, leader);
            responses.onError(Status.UNAVAILABLE.withDescription("this manager does not lead").asRuntimeException(trailers));
        }

        /** Ends the stream with an error and no leader trailer (a broken or refusing manager). */
        synchronized void fail(Status status) {
            responses.onError(status.asRuntimeException());
        }

        /** Ends the stream normally. */
        synchronized void end() {
            responses.onCompleted();
        }
    }

    /** One scripted manager. */
    static final class Manager implements AutoCloseable {
        final BlockingQueue<Incoming> incoming = new LinkedBlockingQueue<>();
        final Server server;

        Manager(int port) throws IOException {
            ServerServiceDefinition service = ServerServiceDefinition.builder(DistributionProtocol.SERVICE)
                    .addMethod(DistributionProtocol.SUBSCRIBE, ServerCalls.asyncBidiStreamingCall(out -> {
                        ServerCallStreamObserver<byte[]> responses = (ServerCallStreamObserver<byte[]>) out;
                        AtomicBoolean cancelled = new AtomicBoolean();
                        responses.setOnCancelHandler(() -> cancelled.set(true));
                        return new StreamObserver<byte[]>() {
                            private Incoming stream;

                            @Override
                            public void onNext(byte[] bytes) {
                                WorkerFrame frame;
                                try {
                                    frame = Frames.parseWorkerFrame(bytes);
                                } catch (MalformedFrameException e) {
                                    throw new AssertionError("the worker sent a malformed frame", e);
                                }
                                if (frame instanceof WorkerFrame.Hello hello) {
                                    stream = new Incoming(hello, responses, cancelled);
                                    incoming.add(stream);
                                } else {
                                    stream.acks.add((WorkerFrame.Ack) frame);
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                                cancelled.set(true);
                            }

                            @Override
                            public void onCompleted() {
                                if (stream != null) {
                                    stream.completedByWorker.set(true);
                                }
                                try {
                                    responses.onCompleted(); // as a manager does: the worker's channel can terminate at once
                                } catch (IllegalStateException alreadyEnded) {
                                    // the test ended it before
                                }
                            }
                        };
                    })).build();
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).addService(service).build()
                    .start();
        }

        int port() {
            return server.getPort();
        }

        ManagerAddress address() {
            return new ManagerAddress("127.0.0.1", port());
        }

        /** The next stream a worker opened here (waits for its hello). */
        Incoming next() throws InterruptedException {
            Incoming stream = incoming.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(stream).as("a worker said hello at " + address()).isNotNull();
            return stream;
        }

        @Override
        public void close() throws InterruptedException {
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
