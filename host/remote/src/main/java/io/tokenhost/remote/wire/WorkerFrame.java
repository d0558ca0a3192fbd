package io.tokenhost.remote.wire;

/**
 * A frame a worker sends to the manager, as {@link Frames#parseWorkerFrame} reads it. Sealed: a
 * frame is one of these kinds and nothing else.
 */
public sealed interface WorkerFrame permits WorkerFrame.Hello, WorkerFrame.Ack {

    /**
     * HELLO: the first frame of a subscription, naming the worker and the protocol it speaks; {@code
     * waitForLeader}: a standby may hold the stream until a leader is known; {@code hold}: a pre-held
     * stream, which a standby holds for as long as it stands by (both protocol 2).
     */
    record Hello(String workerId, int protocolVersion, boolean waitForLeader, boolean hold) implements WorkerFrame {
    }

    /** ACK: the worker applied this container version of the manager with this epoch. */
    record Ack(long epoch, long version) implements WorkerFrame {
    }
}
