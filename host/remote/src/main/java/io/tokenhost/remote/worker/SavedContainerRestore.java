package io.tokenhost.remote.worker;

import io.tokenhost.api.Durations;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.remote.worker.LastContainerFile.Saved;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker starting up may deliver from its {@link LastContainerFile}: the services whose
 * tokens are still valid; expired ones are dropped. Services whose provider gave no valid-until
 * cannot be judged by their own expiry, so they are delivered only from a file written at most
 * {@code maxAgeWithoutExpiry} ago (key {@code restore.without-expiry.max-age}): the manager
 * re-obtains such tokens every {@code renewal.fallback-period} (1h by default), so a file much older
 * than that likely holds tokens the manager has long replaced. The container keeps its version;
 * the manager's next container replaces it whatever its version.
 */
public final class SavedContainerRestore {

    private static final Logger LOG = LoggerFactory.getLogger(SavedContainerRestore.class);

    private SavedContainerRestore() {
    }

    /**
     * Reads the file (moving an untrustworthy one aside) and returns what may be delivered, if
     * anything; logs what was restored and what was dropped, by service name.
     */
    public static Optional<TokenContainer> restore(LastContainerFile file, Instant now, Duration maxAgeWithoutExpiry) {
        Optional<Saved> saved = file.read();
        if (saved.isEmpty()) {
            return Optional.empty();
        }
        TokenContainer container = saved.get().container();
        boolean fresh = !saved.get().written().plus(maxAgeWithoutExpiry).isBefore(now);
        Map<String, byte[]> tokens = new TreeMap<>();
        Map<String, Instant> validUntil = new TreeMap<>();
        List<String> expired = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        for (String service : container.services()) {
            Optional<Instant> until = container.validUntil(service);
            if (until.isPresent() && !until.get().isAfter(now)) {
                expired.add(service + " (at " + until.get() + ")");
            } else if (until.isEmpty() && !fresh) {
                stale.add(service);
            } else {
                tokens.put(service, container.tokens(service).orElseThrow());
                until.ifPresent(at -> validUntil.put(service, at));
            }
        }
        LOG.info("Saved container version {} from {} (written {}, manager epoch {}): restoring {}{}{}",
                container.version(), file.path(), saved.get().written(), Long.toHexString(saved.get().managerEpoch()),
                tokens.isEmpty() ? "nothing" : tokens.keySet(),
                expired.isEmpty() ? "" : "; dropped as expired: " + expired,
                stale.isEmpty() ? "" : "; dropped, no valid-until and the file is older than "
                        + Durations.format(maxAgeWithoutExpiry) + ": " + stale);
        return tokens.isEmpty() ? Optional.empty()
                : Optional.of(TokenContainer.of(container.version(), tokens, validUntil));
    }
}
