package io.tokenhost.remote.worker;

import java.time.Instant;
import java.util.Optional;

/** What a worker knows of its link to the manager. Carries no token bytes. */
public record ManagerLinkStatus(String managerAddress, String workerId, boolean connected,
        Optional<Instant> connectedSince, long lastVersion, Optional<Instant> lastReceived,
        Optional<String> lastError, Optional<Instant> nextAttempt, long containersApplied, long framesRefused) {
}
