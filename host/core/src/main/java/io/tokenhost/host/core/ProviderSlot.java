package io.tokenhost.host.core;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.ServiceStatus.State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One registered provider and what the manager knows of it. Not thread-safe: only {@link
 * TokenManager} touches it, under its lock. Holds a fingerprint of the current tokens, never the
 * tokens (they live in the container).
 */
final class ProviderSlot {

    final DelegationTokenProvider provider;
    final String service;
    final String origin;

    State state = State.PENDING;
    boolean enabled;
    boolean holdsTokens;
    Instant lastObtain;
    Instant validUntil;
    Instant nextObtain;
    int consecutiveFailures;
    String lastError;
    String fingerprint;
    int tokenBytes;

    /** The obtain running now, if any; kept until its thread returns, so obtains never overlap. */
    Attempt inFlight;
    TaskTimer.Cancellable nextObtainTask;
    TaskTimer.Cancellable expiryTask;
    /** Callers of obtain-now waiting for the current or next attempt to end. */
    final List<CompletableFuture<ServiceStatus>> waiters = new ArrayList<>();

    ProviderSlot(DelegationTokenProvider provider, String service, String origin) {
        this.provider = provider;
        this.service = service;
        this.origin = origin;
    }

    void cancelTimers() {
        if (nextObtainTask != null) {
            nextObtainTask.cancel();
            nextObtainTask = null;
        }
        if (expiryTask != null) {
            expiryTask.cancel();
            expiryTask = null;
        }
        nextObtain = null;
    }

    void forgetTokens() {
        holdsTokens = false;
        validUntil = null;
        fingerprint = null;
        tokenBytes = 0;
        if (expiryTask != null) {
            expiryTask.cancel();
            expiryTask = null;
        }
    }

    ServiceStatus status() {
        return new ServiceStatus(service, origin, state, enabled,
                Optional.ofNullable(lastObtain), Optional.ofNullable(validUntil), Optional.ofNullable(nextObtain),
                consecutiveFailures, Optional.ofNullable(lastError), Optional.ofNullable(fingerprint), tokenBytes);
    }

    /** One obtain call. {@code timedOut} marks one that overran: its result is discarded. */
    static final class Attempt {
        final long id;
        /** The thread running it, so a timeout can interrupt it; null before it starts and after. */
        Thread thread;
        TaskTimer.Cancellable timeout;
        boolean timedOut;

        Attempt(long id) {
            this.id = id;
        }
    }
}
