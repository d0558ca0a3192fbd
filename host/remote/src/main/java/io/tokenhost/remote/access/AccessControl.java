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
 * a WARNING. A held-back policy is also told to a {@link Report} (the host's {@code token:status}), and
 * so is its end.
 */
public final class AccessControl {

    /** Where a held-back policy is shown besides the log ({@code token:status}). */
    public interface Report {
        /** Nowhere. */
        Report NONE = new Report() {
            @Override
            public void heldBack(String problem, boolean previousKept) {
            }

            @Override
            public void cleared() {
            }
        };

        /**
         * The configured policy is not in force.
         *
         * @param problem names the keys and the services this manager knows
         * @param previousKept whether an earlier policy stays in force (else nothing goes to any worker)
         */
        void heldBack(String problem, boolean previousKept);

        /** The configured policy is in force (or replaced by one that is): any held-back report is over. */
        void cleared();
    }

    private static final Logger LOG = LoggerFactory.getLogger(AccessControl.class);

    private final Supplier<Set<String>> providers;
    private final Consumer<AccessPolicy> inForceSink;
    private final Report report;
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
        this(providers, inForceSink, Report.NONE);
    }

    /** @param report told when a configured policy is held back and when that is over */
    public AccessControl(Supplier<Set<String>> providers, Consumer<AccessPolicy> inForceSink, Report report) {
        this.providers = providers;
        this.inForceSink = inForceSink;
        this.report = report;
    }

    /** A policy from the configuration (at start and at every change of the {@code access.*} keys). */
    public synchronized void configure(AccessPolicy policy) {
        configured = policy;
        boolean wasHeldBack = !reportedUnknown.isEmpty();
        reportedUnknown = List.of();
        evaluate();
        if (wasHeldBack && reportedUnknown.isEmpty()) {
            report.cleared();
        }
    }

    /** The services of a new container: a held-back policy may now name only known services. */
    public synchronized void containerServices(Set<String> services) {
        containerServices = Set.copyOf(services);
        // only a held-back policy is judged again: a provider leaving (a plugin update, the host stopping)
        // does not make the policy in force wrong
        if (configured != null && !configured.equals(inForce)) {
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
            if (!reportedUnknown.isEmpty()) {
                report.cleared();
            }
            reportedUnknown = List.of();
            return;
        }
        if (!unknown.equals(reportedUnknown)) {
            reportedUnknown = unknown;
            String problem = String.join(", ", unknown) + " " + (unknown.size() == 1 ? "names" : "name")
                    + " a service that no provider of this manager offers (known: "
                    + (known.isEmpty() ? "none yet" : String.join(", ", known)) + ")";
            LOG.error("Access policy not put in force: {}; {}", problem,
                    anyAccepted ? "the policy in force stays (" + inForce.describe() + ")"
                            : "until it can be, no service is sent to any worker; it is checked again with every new"
                                    + " container");
            report.heldBack(problem + "; it is checked again with every new container", anyAccepted);
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
