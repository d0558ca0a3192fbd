package io.tokenhost.remote.worker;

import java.time.Instant;
import java.util.Optional;

/**
 * What a worker knows of its link to the manager. Carries no token bytes. {@code managerAddress}
 * lists every configured manager; {@code current} is the one connected to or tried next; {@code
 * leaderEpoch} is that manager's epoch if it is an elected leader's, and {@code fence} the highest
 * leader epoch applied here (0: none), below which nothing is applied.
 */
public record ManagerLinkStatus(String managerAddress, String workerId, boolean connected,
        Optional<Instant> connectedSince, long lastVersion, Optional<Instant> lastReceived,
        Optional<String> lastError, Optional<Instant> nextAttempt, long containersApplied, long framesRefused,
        String current, Optional<Long> leaderEpoch, long fence) {
}
