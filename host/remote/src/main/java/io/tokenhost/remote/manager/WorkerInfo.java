package io.tokenhost.remote.manager;

import java.time.Instant;
import java.util.Optional;

/**
 * One worker as the manager sees it, connected or (then {@code disconnectedAt} is set) gone. {@code ackedVersion} is 0 until the worker
 * acknowledged a container of this manager's epoch.
 */
public record WorkerInfo(long session, String workerId, String address, String certificateSubject,
        long ackedVersion, long sentVersion, Instant connectedSince, Optional<Instant> lastAck,
        Optional<Instant> disconnectedAt) {

    public boolean connected() {
        return disconnectedAt.isEmpty();
    }

    WorkerInfo disconnected(Instant at) {
        return new WorkerInfo(session, workerId, address, certificateSubject, ackedVersion, sentVersion, connectedSince,
                lastAck, Optional.of(at));
    }

    /** How many versions behind the given current version the worker's acknowledgement is. */
    public long lag(long currentVersion) {
        return Math.max(0, currentVersion - ackedVersion);
    }
}
