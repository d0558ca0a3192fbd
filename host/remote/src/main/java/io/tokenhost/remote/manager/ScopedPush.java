package io.tokenhost.remote.manager;

import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.distribution.TokenContainerCodec;
import io.tokenhost.remote.access.AccessPolicy;
import io.tokenhost.remote.wire.Frames;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One container as the workers get it under one access policy: each worker only the services it
 * may have, so a service a worker may not have is never encoded into its frame. Frames are encoded
 * once per distinct set of granted services (a handful with per-tenant scopes; one without a
 * policy) and shared by every worker with that set.
 *
 * <p>The version on the wire is the container's plus {@code policyChanges}, the number of policy
 * changes this manager applied: a changed policy re-sends the same container to every worker under
 * the next version, so that a withdrawn service is withdrawn and a granted one delivered at once,
 * while every worker still sees its versions only grow. Without policy changes the versions are
 * the container's.
 */
final class ScopedPush {

    private final long epoch;
    private final long version;
    private final TokenContainer container;
    private final AccessPolicy policy;
    private final Map<SortedSet<String>, WorkerSession.Outgoing> frames = new ConcurrentHashMap<>();

    ScopedPush(long epoch, TokenContainer container, long policyChanges, AccessPolicy policy) {
        this.epoch = epoch;
        this.version = container.version() + policyChanges;
        this.container = container;
        this.policy = policy;
    }

    /** The version every worker gets this container under. */
    long version() {
        return version;
    }

    TokenContainer container() {
        return container;
    }

    long epoch() {
        return epoch;
    }

    /** The services of this container that {@code workerId} may have. */
    SortedSet<String> granted(String workerId) {
        return policy.granted(workerId, container.services());
    }

    /** The push frame for one worker: only its granted services. */
    WorkerSession.Outgoing outgoingFor(String workerId) {
        return frames.computeIfAbsent(granted(workerId), this::encode);
    }

    private WorkerSession.Outgoing encode(SortedSet<String> services) {
        Map<String, byte[]> tokens = new LinkedHashMap<>();
        Map<String, java.time.Instant> validUntil = new LinkedHashMap<>();
        for (String service : services) {
            tokens.put(service, container.tokens(service).orElseThrow());
            container.validUntil(service).ifPresent(until -> validUntil.put(service, until));
        }
        TokenContainer scoped = services.size() == container.size() && version == container.version() ? container
                : TokenContainer.of(version, tokens, validUntil);
        return new WorkerSession.Outgoing(epoch, version, Frames.push(epoch, TokenContainerCodec.encode(scoped)));
    }
}
