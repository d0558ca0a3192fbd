package io.tokenhost.host.core;

import io.tokenhost.api.ObtainedTokens;
import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.telemetry.ObtainRecord;
import io.tokenhost.api.telemetry.TokenEvents;
import io.tokenhost.host.core.RenewalPolicy.Retry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the tokens of every slot in charge fresh: obtains it when asked and when the {@link
 * RenewalPolicy} says, puts what it obtains into the {@link TokenDelivery}, keeps the last good
 * tokens and retries when an obtain fails, and withdraws tokens that expire unrenewed. A slot is
 * obtained only while it {@link ProviderSlot#isEnabled() is enabled} and the scheduler is open.
 *
 * <p>Not thread-safe on its own: callers hold {@code lock}, the manager's one lock, which the
 * scheduler's timer tasks and the {@link ObtainRunner} take too.
 */
final class RenewalScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(RenewalScheduler.class);
    /** How often the same failure of one provider is logged at WARN after its first three. */
    static final Duration REPEATED_FAILURE_WARNING = Duration.ofMinutes(10);

    private final Object lock;
    private final Clock clock;
    private final TaskTimer timer;
    private final DoubleSupplier random;
    private final TokenDelivery delivery;
    private final ObtainRunner runner;
    private final TokenEvents events;

    private ManagerSettings settings;
    private boolean closed;
    /** A standby: nothing is obtained until {@link #resume()}. */
    private boolean paused;

    RenewalScheduler(Object lock, Clock clock, TaskTimer timer, Executor obtainExecutor, DoubleSupplier random,
            ManagerSettings settings, TokenDelivery delivery, TokenEvents events) {
        this.lock = lock;
        this.clock = clock;
        this.timer = timer;
        this.random = random;
        this.delivery = delivery;
        this.events = events;
        this.runner = new ObtainRunner(lock, clock, timer, obtainExecutor, this::obtainEnded);
        this.settings = settings;
    }

    /** Applies to the obtains and retries planned from now on. */
    void useSettings(ManagerSettings newSettings) {
        settings = newSettings;
    }

    /** The timing rules for one slot: the global renewal settings with its service's own overrides. */
    private RenewalPolicy policy(ProviderSlot slot) {
        return new RenewalPolicy(settings.renewal(slot.service()), random);
    }

    /** Obtains the slot's tokens now, unless an obtain is running: that one will answer its waiters. */
    void obtain(ProviderSlot slot) {
        if (paused || closed) {
            return;
        }
        if (runner.isRunning(slot)) {
            if (runner.isOverrunning(slot)) {
                recordFailure(slot, "the previous obtain is still running past its timeout"
                        + " (the provider ignores interrupts)");
            }
            return;
        }
        slot.cancelNextObtain();
        runner.start(slot, settings.renewal(slot.service()).obtainTimeout());
    }

    /** Calls off the slot's timers and its running obtain; its tokens stay. */
    void stop(ProviderSlot slot) {
        slot.cancelTimers();
        runner.stop(slot);
    }

    /** {@link #stop Stops} the slot and withdraws its tokens, if it holds any. */
    void stopAndWithdraw(ProviderSlot slot, String why) {
        stop(slot);
        if (slot.holdsTokens()) {
            slot.withdrawn();
            removeFromContainer(slot, why);
        }
    }

    /** Withdraws the tokens the slot holds when they expire unrenewed, if they have an expiry. */
    void watchExpiry(ProviderSlot slot) {
        slot.validUntil().ifPresent(expiry -> slot.expiryWatched(timer.schedule(expiry, () -> onExpiry(slot))));
    }

    /** From now on nothing is obtained and no result or expiry changes anything. */
    void close() {
        closed = true;
    }

    /**
     * Until {@link #resume()} nothing is obtained and no result or expiry changes anything (a
     * standby manager); the caller {@linkplain #stop stops} the slots' timers and running obtains.
     */
    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
    }

    boolean isPaused() {
        return paused;
    }

    private boolean isActive(ProviderSlot slot) {
        return !closed && !paused && slot.isEnabled();
    }

    /** Called by the runner, under the lock, when an obtain completed or timed out. */
    private void obtainEnded(ProviderSlot slot, ObtainOutcome outcome, Duration took) {
        if (!isActive(slot)) {
            LOG.debug("Discarded an obtain result for '{}': its provider is no longer obtained", slot.service());
            return;
        }
        Instant now = clock.instant();
        Optional<String> problem = outcome.problemAt(now);
        ObtainRecord.Result result;
        if (problem.isPresent()) {
            recordFailure(slot, problem.get());
            result = ObtainRecord.Result.FAILURE;
        } else if (outcome == ObtainOutcome.NOT_REQUIRED) {
            slot.notRequired();
            planObtain(slot, policy(slot).nextObtainAfterSuccess(now, Optional.empty()));
            result = ObtainRecord.Result.NOT_REQUIRED;
        } else {
            accept(slot, outcome.tokens(), now);
            result = ObtainRecord.Result.SUCCESS;
        }
        ServiceStatus status = slot.status();
        boolean success = result == ObtainRecord.Result.SUCCESS;
        events.obtainEnded(new ObtainRecord(slot.service(), result, took,
                success ? status.fingerprint() : Optional.empty(),
                success ? status.validUntil() : Optional.empty(), status.consecutiveFailures()));
        slot.completeWaiters();
    }

    private void accept(ProviderSlot slot, ObtainedTokens obtained, Instant now) {
        byte[] tokens = obtained.tokens();
        long version = delivery.put(slot.service(), tokens, obtained.validUntil());
        slot.obtained(now, tokens, obtained.validUntil());
        watchExpiry(slot);
        planObtain(slot, policy(slot).nextObtainAfterSuccess(now, obtained.validUntil()));
        ServiceStatus status = slot.status();
        LOG.info("Obtained tokens for '{}': {} bytes, fingerprint {}, valid until {}, next obtain at {},"
                + " container version {}", slot.service(), status.tokenBytes(), status.fingerprint().orElseThrow(),
                status.validUntil().map(Instant::toString).orElse("(not given)"), status.nextObtain().orElseThrow(),
                version);
    }

    private void recordFailure(ProviderSlot slot, String error) {
        int failures = slot.failed(error);
        Retry retry = policy(slot).nextRetryAfterFailure(clock.instant(), slot.backoffExponent(), slot.holdsTokens(),
                slot.validUntil());
        if (retry.raisesBackoff()) {
            slot.backoffRaised();
        }
        planObtain(slot, retry.at());
        String held = slot.holdsTokens() ? "keeping the current tokens" : "no tokens held";
        if (slot.failureWorthWarning(clock.instant(), REPEATED_FAILURE_WARNING)) {
            LOG.warn("Obtaining tokens for '{}' failed ({} in a row); {}; retry at {}: {}{}", slot.service(), failures,
                    held, retry.at(), error, failures == 3 ? " (the same failure again is logged every "
                            + REPEATED_FAILURE_WARNING.toMinutes() + " min; token:status shows the latest)" : "");
        } else {
            LOG.debug("Obtaining tokens for '{}' failed ({} in a row); {}; retry at {}: {}", slot.service(), failures,
                    held, retry.at(), error);
        }
        slot.completeWaiters();
    }

    private void planObtain(ProviderSlot slot, Instant at) {
        slot.nextObtainPlanned(at, timer.schedule(at, () -> {
            synchronized (lock) {
                if (isActive(slot) && slot.isNextObtainAt(at)) {
                    obtain(slot);
                }
            }
        }));
    }

    private void onExpiry(ProviderSlot slot) {
        synchronized (lock) {
            Instant now = clock.instant();
            Optional<Instant> expiry = slot.validUntil().filter(until -> !now.isBefore(until));
            if (!isActive(slot) || expiry.isEmpty()) {
                return;
            }
            slot.expired();
            removeFromContainer(slot, "they expired at " + expiry.get() + " without a successful renewal");
            boolean obtainDue = slot.nextObtain().map(at -> !at.isAfter(now)).orElse(false);
            if (!runner.isRunning(slot) && !obtainDue) {
                obtain(slot); // the planned obtain would come too late; a due one runs at once anyway
            }
        }
    }

    private void removeFromContainer(ProviderSlot slot, String why) {
        delivery.withdraw(slot.service()).ifPresent(version -> LOG.info(
                "Withdrew the tokens of '{}' because {}; container version {}", slot.service(), why, version));
    }
}
