package io.tokenhost.host.core;

import io.tokenhost.api.Durations;
import io.tokenhost.api.ServiceStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services whose provider left as its bundle stopped, e.g. for an update, and whose tokens stay
 * in force meanwhile: each waits for a provider of the same plugin (bundle symbolic name) to take
 * them over, and ends with its tokens withdrawn when the plugin is uninstalled, the grace given
 * ends or the tokens expire, whichever comes first. Not thread-safe: used only under the manager's
 * lock, which its timer tasks take too.
 */
final class HandOvers {

    private static final Logger LOG = LoggerFactory.getLogger(HandOvers.class);

    private final Object lock;
    private final Clock clock;
    private final TaskTimer timer;
    private final RenewalScheduler scheduler;
    private final Map<String, HandOver> byService = new TreeMap<>();

    HandOvers(Object lock, Clock clock, TaskTimer timer, RenewalScheduler scheduler) {
        this.lock = lock;
        this.clock = clock;
        this.timer = timer;
        this.scheduler = scheduler;
    }

    /**
     * Keeps the tokens of a slot whose provider left, stopped already, for at most {@code grace}
     * and no longer than they are valid.
     */
    void start(ProviderSlot slot, PluginBundle plugin, Duration grace) {
        Instant graceEnd = clock.instant().plus(grace);
        Optional<Instant> expiry = slot.validUntil().filter(until -> until.isBefore(graceEnd));
        String why = expiry.map(at -> "they expired at " + at + " before a new revision of " + plugin.symbolicName()
                + " took them over").orElse("no new revision of " + plugin.symbolicName()
                + " took them over within update.grace (" + Durations.format(grace) + ")");
        slot.handingOver();
        TaskTimer.Cancellable deadline = timer.schedule(expiry.orElse(graceEnd), () -> {
            synchronized (lock) {
                HandOver current = byService.get(slot.service());
                if (current != null && current.slot == slot) {
                    end(current, why);
                }
            }
        });
        byService.put(slot.service(), new HandOver(slot, plugin, deadline));
        LOG.info("Provider {} of '{}' left as its bundle stops; its tokens (valid until {}) stay until a new"
                + " revision of {} takes them over, at most until {}", slot.origin(), slot.service(),
                slot.validUntil().map(Instant::toString).orElse("(not given)"), plugin.symbolicName(),
                expiry.orElse(graceEnd));
    }

    /**
     * A slot newly in charge of its service claims the tokens a departed provider of that service
     * left: a provider of the same plugin gets them; one of another plugin does not, and they are
     * withdrawn.
     *
     * @return the departed slot whose tokens the newcomer takes over
     */
    Optional<ProviderSlot> claim(ProviderSlot newcomer) {
        HandOver handOver = byService.remove(newcomer.service());
        if (handOver == null) {
            return Optional.empty();
        }
        handOver.deadline.cancel();
        if (newcomer.isRevisionOf(handOver.slot)) {
            return Optional.of(handOver.slot);
        }
        scheduler.stopAndWithdraw(handOver.slot, "provider " + newcomer.origin() + ", of another plugin, serves it now");
        return Optional.empty();
    }

    /** Withdraws at once the tokens that the providers of an uninstalled plugin left. */
    void uninstalled(long bundleId) {
        byService.values().stream().filter(handOver -> handOver.plugin.id() == bundleId).toList()
                .forEach(handOver -> end(handOver, "its plugin " + handOver.plugin + " was uninstalled"));
    }

    /** Withdraws the tokens a departed provider of the service left, if any. */
    void end(String service, String why) {
        Optional.ofNullable(byService.get(service)).ifPresent(handOver -> end(handOver, why));
    }

    /** The services waiting for a provider to take their tokens over. */
    List<String> services() {
        return List.copyOf(byService.keySet());
    }

    List<ServiceStatus> statuses() {
        return byService.values().stream().map(handOver -> handOver.slot.status()).toList();
    }

    /** Calls off every deadline; the tokens stay where they are (the manager stops). */
    void close() {
        byService.values().forEach(handOver -> handOver.deadline.cancel());
        byService.clear();
    }

    private void end(HandOver handOver, String why) {
        byService.remove(handOver.slot.service());
        handOver.deadline.cancel();
        scheduler.stopAndWithdraw(handOver.slot, why);
    }

    private record HandOver(ProviderSlot slot, PluginBundle plugin, TaskTimer.Cancellable deadline) {
    }
}
