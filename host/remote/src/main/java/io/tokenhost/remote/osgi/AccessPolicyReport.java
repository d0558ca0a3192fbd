package io.tokenhost.remote.osgi;

import io.tokenhost.api.ConfigurationProblems;
import io.tokenhost.remote.access.AccessControl;
import io.tokenhost.remote.config.RemoteConfig;

/**
 * Shows a manager's held-back access policy (one naming a service no provider offers) where {@code
 * token:status} lists refused configurations, under its own label {@value #LABEL}, so that it
 * neither hides nor clears a refusal of the configuration itself. Remembers the problem so that a
 * {@link ConfigurationProblems} bound later, or again, is told it too.
 */
final class AccessPolicyReport implements AccessControl.Report {

    /** What {@code token:status} names: the {@code access.*} keys of the remote configuration. */
    static final String LABEL = RemoteConfig.PID + " access.*";

    private ConfigurationProblems problems;
    private String problem;
    private boolean previousKept;

    synchronized void reportTo(ConfigurationProblems problems) {
        this.problems = problems;
        if (problems != null && problem != null) {
            problems.refused(LABEL, problem, previousKept);
        }
    }

    @Override
    public synchronized void heldBack(String problem, boolean previousKept) {
        this.problem = problem;
        this.previousKept = previousKept;
        if (problems != null) {
            problems.refused(LABEL, problem, previousKept);
        }
    }

    @Override
    public synchronized void cleared() {
        if (problem == null) {
            return;
        }
        problem = null;
        if (problems != null) {
            problems.accepted(LABEL);
        }
    }
}
