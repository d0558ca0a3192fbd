package io.tokenhost.remote.wire;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The gRPC method: {@code tokenhost.remote.v1.TokenDistribution/Subscribe}, a bidirectional stream
 * of {@link Frames}. Messages are raw byte arrays (no protobuf): the token container already has a
 * versioned, bounds-checked, checksummed wire form, and the other frames are a few fixed fields.
 */
public final class DistributionProtocol {

    public static final String SERVICE = "tokenhost.remote.v1.TokenDistribution";

    /**
     * Trailer of the UNAVAILABLE status with which a standby manager (high availability) ends a
     * worker's stream: {@code host:port} of the leader as the standby knows it, {@code -} if it knows
     * none. The worker goes there next if it is one of its configured manager addresses.
     */
    public static final Metadata.Key<String> LEADER = Metadata.Key.of("tokenhost-leader", Metadata.ASCII_STRING_MARSHALLER);

    public static final MethodDescriptor<byte[], byte[]> SUBSCRIBE = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Subscribe"))
            .setRequestMarshaller(new BytesMarshaller(Frames.MAX_WORKER_FRAME))
            .setResponseMarshaller(new BytesMarshaller(Frames.MAX_MANAGER_FRAME))
            .build();

    private DistributionProtocol() {
    }

    /** byte[] as is; refuses (without echoing) anything over its limit. */
    static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        private final int limit;

        BytesMarshaller(int limit) {
            this.limit = limit;
        }

        @Override
        public InputStream stream(byte[] value) {
            return new Stream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try (stream) {
                byte[] bytes = stream.readNBytes(limit + 1);
                if (bytes.length > limit) {
                    throw new IllegalArgumentException("message exceeds " + limit + " bytes");
                }
                return bytes;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Lets gRPC size and copy the frame in one go. */
    private static final class Stream extends ByteArrayInputStream implements KnownLength, Drainable {
        Stream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int n = count - pos;
            target.write(buf, pos, n);
            pos = count;
            return n;
        }
    }
}
