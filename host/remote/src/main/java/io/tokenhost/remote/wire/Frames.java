package io.tokenhost.remote.wire;

import io.tokenhost.api.distribution.MalformedContainerException;
import io.tokenhost.api.ServiceNames;
import io.tokenhost.api.distribution.TokenContainerCodec;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The messages of the {@link DistributionProtocol#SUBSCRIBE} stream. One byte of type, then
 * big-endian fields. Token containers travel in their own {@link TokenContainerCodec} form.
 *
 * <pre>
 * worker to manager
 *   HELLO  0x01  protocol version (1 byte, 1)  worker id (UTF-8, 1..128 bytes, rest of the frame)
 *   HELLO  0x01  protocol version (1 byte, 2)  flags (1: bit 0 wait for leader, bit 1 hold)  worker id (UTF-8,
 *                1..128 bytes, rest of the frame)
 *   ACK    0x02  manager epoch (8)  container version (8)
 * manager to worker
 *   WELCOME 0x11 manager epoch (8)                   to a worker that said protocol 1
 *   WELCOME 0x11 manager epoch (8)  flags (1)        to a worker that said protocol 2
 *   PUSH    0x12 manager epoch (8)  encoded container (rest of the frame)
 * </pre>
 *
 * A standalone manager chooses its epoch at random when it starts, so a worker can tell a
 * restarted manager (which counts versions from 1 again) from an old version of the same one. A
 * manager elected leader among several (high availability) sends a <em>leader epoch</em> taken
 * from ZooKeeper, which grows with every election, and sets flag bit 0 ({@link #FLAG_LEADER_EPOCH}):
 * a worker then never applies a container of a lower leader epoch than one it has applied (a
 * deposed leader is fenced). Protocol 2 (the flags byte) is what this version's workers speak; a
 * manager accepts 1 and 2, except that an HA manager refuses protocol 1, whose workers cannot be
 * fenced.
 */
public final class Frames {

    /** What this version's workers say in their hello. */
    public static final int PROTOCOL_VERSION = 2;
    /** The oldest protocol a manager accepts: 1 has no flags in its welcome. */
    public static final int MIN_PROTOCOL_VERSION = 1;
    /** WELCOME flag: the epoch is a leader epoch (monotonic, from ZooKeeper): fence older ones. */
    public static final int FLAG_LEADER_EPOCH = 1;
    /**
     * HELLO flag (protocol 2): the leader this worker was sent to did not take it; a standby may hold
     * the stream until it leads itself or learns of another leader, instead of refusing it at once.
     */
    public static final int FLAG_WAIT_FOR_LEADER = 1;
    /**
     * HELLO flag (protocol 2): a <em>pre-held</em> stream, opened to a manager besides the one in
     * force; a standby holds it, silent, for as long as it stands by, and welcomes it the moment it
     * is elected, so that the failover needs no new connection.
     */
    public static final int FLAG_HOLD = 2;
    public static final byte HELLO = 0x01;
    public static final byte ACK = 0x02;
    public static final byte WELCOME = 0x11;
    public static final byte PUSH = 0x12;
    /** The largest frame a worker may send. */
    public static final int MAX_WORKER_FRAME = 256;
    /** The largest frame a manager may send. */
    public static final int MAX_MANAGER_FRAME = 1 + 8 + TokenContainerCodec.MAX_ENCODED_BYTES;
    public static final int MAX_WORKER_ID_BYTES = 128;
    /** What a worker id may be (the service-name rule), completing "must be ...". */
    public static final String WORKER_ID_RULE = "1-128 of [A-Za-z0-9._-], starting with a letter or digit";

    private Frames() {
    }

    public static byte[] hello(String workerId) {
        return hello(workerId, false);
    }

    /** A protocol-2 hello; {@code waitForLeader} sets {@link #FLAG_WAIT_FOR_LEADER}. */
    public static byte[] hello(String workerId, boolean waitForLeader) {
        return hello(workerId, waitForLeader, false);
    }

    /** A protocol-2 hello; {@code hold} sets {@link #FLAG_HOLD} (a pre-held stream). */
    public static byte[] hello(String workerId, boolean waitForLeader, boolean hold) {
        byte[] id = checkWorkerId(workerId).getBytes(StandardCharsets.UTF_8);
        int flags = (waitForLeader ? FLAG_WAIT_FOR_LEADER : 0) | (hold ? FLAG_HOLD : 0);
        return ByteBuffer.allocate(3 + id.length).put(HELLO).put((byte) PROTOCOL_VERSION).put((byte) flags).put(id)
                .array();
    }

    /** A protocol-1 hello (tests of compatibility). */
    public static byte[] helloProtocol1(String workerId) {
        byte[] id = checkWorkerId(workerId).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + id.length).put(HELLO).put((byte) 1).put(id).array();
    }

    public static byte[] ack(long epoch, long version) {
        return ByteBuffer.allocate(17).put(ACK).putLong(epoch).putLong(version).array();
    }

    /** A protocol-1 welcome: no flags. */
    public static byte[] welcome(long epoch) {
        return ByteBuffer.allocate(9).put(WELCOME).putLong(epoch).array();
    }

    /** A protocol-2 welcome; {@code leaderEpoch} sets {@link #FLAG_LEADER_EPOCH}. */
    public static byte[] welcome(long epoch, boolean leaderEpoch) {
        return ByteBuffer.allocate(10).put(WELCOME).putLong(epoch).put((byte) (leaderEpoch ? FLAG_LEADER_EPOCH : 0))
                .array();
    }

    /** A push frame around an already encoded container (encode once, send to every worker). */
    public static byte[] push(long epoch, byte[] encodedContainer) {
        return ByteBuffer.allocate(9 + encodedContainer.length).put(PUSH).putLong(epoch).put(encodedContainer).array();
    }

    /** Parses a worker's frame: a {@link WorkerFrame.Hello} or a {@link WorkerFrame.Ack}. */
    public static WorkerFrame parseWorkerFrame(byte[] frame) throws MalformedFrameException {
        if (frame.length == 0 || frame.length > MAX_WORKER_FRAME) {
            throw new MalformedFrameException("worker frame of " + frame.length + " bytes is outside 1.." + MAX_WORKER_FRAME);
        }
        ByteBuffer in = ByteBuffer.wrap(frame);
        byte type = in.get();
        if (type == HELLO) {
            if (frame.length < 3) {
                throw new MalformedFrameException("hello frame too short");
            }
            int version = in.get() & 0xFF;
            if (version < MIN_PROTOCOL_VERSION || version > PROTOCOL_VERSION) {
                throw new MalformedFrameException("unsupported protocol version " + version + "; this manager speaks "
                        + MIN_PROTOCOL_VERSION + " to " + PROTOCOL_VERSION);
            }
            int flags = 0;
            if (version >= 2) {
                if (frame.length < 4) {
                    throw new MalformedFrameException("hello frame too short");
                }
                flags = in.get() & 0xFF;
            }
            byte[] id = new byte[in.remaining()];
            in.get(id);
            return new WorkerFrame.Hello(decodeWorkerId(id), version, (flags & FLAG_WAIT_FOR_LEADER) != 0,
                    (flags & FLAG_HOLD) != 0);
        } else if (type == ACK) {
            if (frame.length != 17) {
                throw new MalformedFrameException("ack frame of " + frame.length + " bytes; 17 expected");
            }
            return new WorkerFrame.Ack(in.getLong(), in.getLong());
        }
        throw new MalformedFrameException("unknown worker frame type " + (type & 0xFF));
    }

    /** Parses a manager's frame: a {@link ManagerFrame.Welcome} or a {@link ManagerFrame.Push}. */
    public static ManagerFrame parseManagerFrame(byte[] frame) throws MalformedFrameException {
        if (frame.length < 9 || frame.length > MAX_MANAGER_FRAME) {
            throw new MalformedFrameException("manager frame of " + frame.length + " bytes is outside 9.."
                    + MAX_MANAGER_FRAME);
        }
        ByteBuffer in = ByteBuffer.wrap(frame);
        byte type = in.get();
        long epoch = in.getLong();
        if (type == WELCOME) {
            if (frame.length == 9) {
                return new ManagerFrame.Welcome(epoch, false);
            }
            if (frame.length != 10) {
                throw new MalformedFrameException("welcome frame of " + frame.length + " bytes; 9 or 10 expected");
            }
            return new ManagerFrame.Welcome(epoch, (in.get() & FLAG_LEADER_EPOCH) != 0);
        } else if (type == PUSH) {
            byte[] encoded = new byte[in.remaining()];
            in.get(encoded);
            try {
                return new ManagerFrame.Push(epoch, TokenContainerCodec.decode(encoded));
            } catch (MalformedContainerException e) {
                // the codec's messages name offsets and lengths, never content
                throw new MalformedFrameException("malformed container: " + e.getMessage());
            }
        }
        throw new MalformedFrameException("unknown manager frame type " + (type & 0xFF));
    }

    /** Worker ids follow the service-name rule ({@link #WORKER_ID_RULE}). */
    public static boolean isWorkerId(String id) {
        return ServiceNames.isValid(id);
    }

    /** @throws IllegalArgumentException if the id breaks {@link #WORKER_ID_RULE} */
    public static String checkWorkerId(String id) {
        if (!isWorkerId(id)) {
            throw new IllegalArgumentException("invalid worker id: use " + WORKER_ID_RULE);
        }
        return id;
    }

    private static String decodeWorkerId(byte[] raw) throws MalformedFrameException {
        try {
            String id = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
            if (!isWorkerId(id)) {
                throw new MalformedFrameException("worker id breaks the naming rule ([A-Za-z0-9._-], 1-128)");
            }
            return id;
        } catch (CharacterCodingException e) {
            throw new MalformedFrameException("worker id is not valid UTF-8");
        }
    }
}
