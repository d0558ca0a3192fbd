package io.tokenhost.host.core;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.ServiceStatus.State;
import io.tokenhost.api.TokenFingerprint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One registered provider and what the manager knows of it: its state, the tokens it holds (as a
 * fingerprint and a size, never the bytes, which live in the container), its planned timers and the
 * callers waiting for its next obtain to end. Every change of state goes through a method named
 * after what happened. Not thread-safe: used only under the manager's lock.
 */
final class ProviderSlot {

    private final DelegationTokenProvider provider;
    private final String service;
    private final String origin;
    /** The plugin bundle it came from; null if not from a bundle. */
    private final PluginBundle plugin;

    private State state = State.PENDING;
    /** True while this slot is in charge of its service and switched on; only then is it obtained. */
    private boolean enabled;
    private boolean holdsTokens;
    private Instant lastObtain;
    private Instant validUntil;
    private Instant nextObtain;
    private int consecutiveFailures;
    /**
     * How many of the failures in a row waited the full exponential backoff (see {@link
     * RenewalPolicy}); failures retried sooner because of a cap do not count, unlike in {@code
     * consecutiveFailures}, which {@code token:status} shows.
     */
    private int backoffExponent;
    private String lastError;
    private String lastWarnedError;
    private Instant lastFailureWarning;
    private String fingerprint;
    private int tokenBytes;
    /** The tokens held were obtained by the provider of its plugin's previous revision. */
    private boolean fromPreviousRevision;

    private TaskTimer.Cancellable nextObtainTask;
    private TaskTimer.Cancellable expiryTask;
    /** Callers of obtain-now waiting for the current or next attempt to end. */
    private final List<CompletableFuture<ServiceStatus>> waiters = new ArrayList<>();

    ProviderSlot(DelegationTokenProvider provider, String service, String origin) {
        this(provider, service, origin, null);
    }

    /** @param plugin the bundle it came from, or null */
    ProviderSlot(DelegationTokenProvider provider, String service, String origin, PluginBundle plugin) {
        this.provider = provider;
        this.service = service;
        this.origin = origin;
        this.plugin = plugin;
    }

    DelegationTokenProvider provider() {
        return provider;
    }

    String service() {
        return service;
    }

    String origin() {
        return origin;
    }

    Optional<PluginBundle> plugin() {
        return Optional.ofNullable(plugin);
    }

    /** Whether this slot's provider comes from a later revision of the plugin of {@code earlier}'s. */
    boolean isRevisionOf(ProviderSlot earlier) {
        return plugin != null && earlier.plugin != null && plugin.symbolicName().equals(earlier.plugin.symbolicName());
    }

    boolean isEnabled() {
        return enabled;
    }

    boolean holdsTokens() {
        return holdsTokens;
    }

    /** When the tokens held expire; empty if none are held or the provider gave no expiry. */
    Optional<Instant> validUntil() {
        return Optional.ofNullable(validUntil);
    }

    Optional<Instant> nextObtain() {
        return Optional.ofNullable(nextObtain);
    }

    int backoffExponent() {
        return backoffExponent;
    }

    // ---- what happened to the provider

    /** Another provider already serves this service; this one waits in case that one leaves. */
    void duplicated() {
        state = State.DUPLICATE;
    }

    /** Put in charge of its service with the service switched on: it is to be obtained. */
    void switchedOn() {
        enabled = true;
        state = holdsTokens ? State.VALID : State.PENDING;
    }

    /** Put in charge of its service, or left there, with the service switched off. */
    void switchedOff() {
        enabled = false;
        state = State.DISABLED;
    }

    /** Its provider left; the slot is obtained no more. */
    void left() {
        enabled = false;
    }

    /** Its provider left as its bundle stopped; the tokens held wait for the plugin's next revision. */
    void handingOver() {
        left();
        state = State.HANDING_OVER;
    }

    /**
     * Its provider, of a new revision of the plugin, takes over the tokens that the provider of the
     * previous revision left; they stay until this one's first obtain succeeds or they expire.
     */
    void tookOver(ProviderSlot previous) {
        holdsTokens = previous.holdsTokens;
        lastObtain = previous.lastObtain;
        validUntil = previous.validUntil;
        fingerprint = previous.fingerprint;
        tokenBytes = previous.tokenBytes;
        fromPreviousRevision = holdsTokens;
    }

    // ---- what an obtain came to

    void obtained(Instant at, byte[] tokens, Optional<Instant> expiry) {
        cancelExpiryWatch();
        holdsTokens = true;
        state = State.VALID;
        lastObtain = at;
        validUntil = expiry.orElse(null);
        consecutiveFailures = 0;
        backoffExponent = 0;
        lastError = null;
        fingerprint = TokenFingerprint.of(tokens);
        tokenBytes = tokens.length;
        fromPreviousRevision = false;
    }

    /** The provider needs no tokens now; it is asked again later. */
    void notRequired() {
        state = State.NOT_REQUIRED;
        consecutiveFailures = 0;
        backoffExponent = 0;
        lastError = null;
    }

    /**
     * Whether the failure just {@linkplain #failed recorded} deserves a WARN: the first three in a
     * row, one with a new error, and then one per {@code interval}, so that a provider broken for
     * good (retried every few seconds while it holds no tokens) does not flood the log. The others
     * go to DEBUG; {@code token:status} always shows the latest.
     */
    boolean failureWorthWarning(Instant now, Duration interval) {
        boolean warn = consecutiveFailures <= 3 || !Objects.equals(lastError, lastWarnedError)
                || lastFailureWarning == null || !now.isBefore(lastFailureWarning.plus(interval));
        if (warn) {
            lastFailureWarning = now;
            lastWarnedError = lastError;
        }
        return warn;
    }

    /** @return how many obtains in a row have failed now */
    int failed(String error) {
        consecutiveFailures++;
        lastError = error;
        state = State.FAILING;
        return consecutiveFailures;
    }

    /** A failure's retry waited the full exponential backoff: the next failure waits twice as long. */
    void backoffRaised() {
        backoffExponent++;
    }

    /** The tokens held ran out before a renewal succeeded; they are gone. */
    void expired() {
        Instant expiry = validUntil;
        withdrawn();
        state = State.FAILING;
        if (lastError == null) {
            lastError = "tokens expired at " + expiry + " without a successful renewal";
        }
    }

    /** The tokens held were taken out of the container. */
    void withdrawn() {
        holdsTokens = false;
        validUntil = null;
        fingerprint = null;
        tokenBytes = 0;
        fromPreviousRevision = false;
        cancelExpiryWatch();
    }

    // ---- timers

    /** Replaces the planned next obtain; {@code task} runs it at {@code at}. */
    void nextObtainPlanned(Instant at, TaskTimer.Cancellable task) {
        cancelNextObtain();
        nextObtain = at;
        nextObtainTask = task;
    }

    boolean isNextObtainAt(Instant at) {
        return at.equals(nextObtain);
    }

    void cancelNextObtain() {
        if (nextObtainTask != null) {
            nextObtainTask.cancel();
            nextObtainTask = null;
        }
        nextObtain = null;
    }

    /** {@code task} withdraws the tokens held now when they expire. */
    void expiryWatched(TaskTimer.Cancellable task) {
        cancelExpiryWatch();
        expiryTask = task;
    }

    void cancelTimers() {
        cancelNextObtain();
        cancelExpiryWatch();
    }

    private void cancelExpiryWatch() {
        if (expiryTask != null) {
            expiryTask.cancel();
            expiryTask = null;
        }
    }

    // ---- callers waiting for an obtain

    void addWaiter(CompletableFuture<ServiceStatus> waiter) {
        waiters.add(waiter);
    }

    /** Answers every waiter with the status as it is now. */
    void completeWaiters() {
        if (waiters.isEmpty()) {
            return;
        }
        ServiceStatus status = status();
        takeWaiters().forEach(waiter -> waiter.complete(status));
    }

    void failWaiters(String why) {
        takeWaiters().forEach(waiter -> waiter.completeExceptionally(new IllegalStateException(why)));
    }

    private List<CompletableFuture<ServiceStatus>> takeWaiters() {
        List<CompletableFuture<ServiceStatus>> waiting = new ArrayList<>(waiters);
        waiters.clear();
        return waiting;
    }

    ServiceStatus status() {
        return new ServiceStatus(service, origin, state, enabled,
                Optional.ofNullable(lastObtain), Optional.ofNullable(validUntil), Optional.ofNullable(nextObtain),
                consecutiveFailures, Optional.ofNullable(lastError), Optional.ofNullable(fingerprint), tokenBytes,
                fromPreviousRevision);
    }
}
