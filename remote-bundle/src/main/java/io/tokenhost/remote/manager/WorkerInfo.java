package io.tokenhost.remote.manager;

import java.time.Instant;
import java.util.Optional;

/**
 * One connected worker as the manager sees it. {@code ackedVersion} is 0 until the worker
 * acknowledged a container of this manager's epoch.
 */
public record WorkerInfo(long session, String workerId, String address, String certificateSubject,
        long ackedVersion, long sentVersion, Instant connectedSince, Optional<Instant> lastAck) {

    /** How many versions behind the given current version the worker's acknowledgement is. */
    public long lag(long currentVersion) {
        return Math.max(0, currentVersion - ackedVersion);
    }
}
