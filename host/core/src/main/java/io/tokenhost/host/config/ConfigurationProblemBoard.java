package io.tokenhost.host.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The refused configurations of every bundle, as their components reported them through {@link
 * BundleConfigurationProblems}: what {@code token:status} lists. A bundle's problems are forgotten
 * when it stops. That, not the release of its {@code ConfigurationProblems} view, is the signal:
 * a component that fails to start because its configuration was refused releases the view as
 * well, and its problem must stay listed for as long as its bundle runs.
 */
@Component(service = ConfigurationProblemBoard.class)
public final class ConfigurationProblemBoard {

    /**
     * One refused configuration.
     *
     * @param bundle the reporting bundle, as {@code symbolic-name [id]}
     * @param reason names the key and the rule, never a secret value
     * @param previousKept whether earlier settings stay in force (else the component is not started)
     */
    public record Problem(String bundle, String pid, String reason, boolean previousKept) {
    }

    /** Bundle id → PID → problem, in id and PID order. */
    private final Map<Long, Map<String, Problem>> problems = new TreeMap<>();
    /** Synchronous: a bundle restarted at once must not lose its new reports to its old STOPPED event. */
    private final SynchronousBundleListener forgetStopped = event -> {
        if (event.getType() == BundleEvent.STOPPED) {
            forget(event.getBundle().getBundleId());
        }
    };
    private final BundleContext context;

    @Activate
    public ConfigurationProblemBoard(BundleContext context) {
        this.context = context;
        context.addBundleListener(forgetStopped);
    }

    /** A board outside OSGi: it hears of no bundle stopping (tests). */
    public ConfigurationProblemBoard() {
        this.context = null;
    }

    @Deactivate
    void stop() {
        context.removeBundleListener(forgetStopped);
    }

    synchronized void refused(long bundleId, String bundle, String pid, String reason, boolean previousKept) {
        problems.computeIfAbsent(bundleId, id -> new TreeMap<>()).put(pid, new Problem(bundle, pid, reason, previousKept));
    }

    synchronized void accepted(long bundleId, String pid) {
        Map<String, Problem> ofBundle = problems.get(bundleId);
        if (ofBundle != null && ofBundle.remove(pid) != null && ofBundle.isEmpty()) {
            problems.remove(bundleId);
        }
    }

    synchronized void forget(long bundleId) {
        problems.remove(bundleId);
    }

    /** Every problem, by bundle id, then PID. */
    public synchronized List<Problem> problems() {
        List<Problem> all = new ArrayList<>();
        problems.values().forEach(ofBundle -> all.addAll(ofBundle.values()));
        return all;
    }
}
