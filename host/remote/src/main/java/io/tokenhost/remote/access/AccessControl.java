package io.tokenhost.remote.access;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which configured {@link AccessPolicy} is in force on a manager. A policy whose keys name
 * only services this manager knows (its providers' and those of the current container) is put in
 * force at once. One naming a service nobody offers is held back: an ERROR names the key, the
 * policy in force stays (with none yet, nothing goes to any worker), and it is checked again with
 * every new container, so a policy written before its providers started comes into force when they
 * have obtained their tokens. Without {@code access.*} keys every service goes to every worker, with
 * a WARNING.
 */
public final class AccessControl {

    private static final Logger LOG = LoggerFactory.getLogger(AccessControl.class);

    private final Supplier<Set<String>> providers;
    private final Consumer<AccessPolicy> inForceSink;
    private AccessPolicy configured;
    private AccessPolicy inForce;
    private boolean anyAccepted;
    private Set<String> containerServices = Set.of();
    private List<String> reportedUnknown = List.of();

    /**
     * @param providers the services of this host's providers
     * @param inForceSink told every policy put in force (the manager re-sends what workers may have)
     */
    public AccessControl(Supplier<Set<String>> providers, Consumer<AccessPolicy> inForceSink) {
        this.providers = providers;
        this.inForceSink = inForceSink;
    }

    /** A policy from the configuration (at start and at every change of the {@code access.*} keys). */
    public synchronized void configure(AccessPolicy policy) {
        configured = policy;
        reportedUnknown = List.of();
        evaluate();
    }

    /** The services of a new container: a held-back policy may now name only known services. */
    public synchronized void containerServices(Set<String> services) {
        containerServices = Set.copyOf(services);
        if (configured != null && configured != inForce) {
            evaluate();
        }
    }

    /** The policy in force (nothing to anyone before the first). */
    public synchronized AccessPolicy inForce() {
        return inForce == null ? AccessPolicy.DENY_ALL : inForce;
    }

    private void evaluate() {
        Set<String> known = new TreeSet<>(containerServices);
        known.addAll(providers.get());
        List<String> unknown = configured.unknownServiceKeys(known);
        if (unknown.isEmpty()) {
            if (!configured.equals(inForce) || !anyAccepted) {
                put(configured);
                anyAccepted = true;
                if (configured.configured()) {
                    LOG.info("Access policy in force: {}", configured.describe());
                } else {
                    LOG.warn("No access policy (no access.* keys): every authenticated worker receives every service."
                            + " Set access.<service>=<worker-id patterns> and access.default=deny to limit them");
                }
            }
            reportedUnknown = List.of();
            return;
        }
        if (!unknown.equals(reportedUnknown)) {
            reportedUnknown = unknown;
            LOG.error("Access policy not put in force: {} {} a service that no provider of this manager offers"
                    + " (known: {}); {}", String.join(", ", unknown), unknown.size() == 1 ? "names" : "name",
                    known.isEmpty() ? "none yet" : String.join(", ", known),
                    anyAccepted ? "the policy in force stays (" + inForce.describe() + ")"
                            : "until it can be, no service is sent to any worker; it is checked again with every new"
                                    + " container");
        }
        if (!anyAccepted && inForce == null) {
            put(AccessPolicy.DENY_ALL);
        }
    }

    private void put(AccessPolicy policy) {
        inForce = policy;
        inForceSink.accept(policy);
    }
}
