package io.tokenhost.host.config;

import io.tokenhost.api.ConfigurationProblems;
import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * The host's {@link ConfigurationProblems} service as one bundle sees it. DS makes one instance
 * per using bundle ({@link ServiceScope#BUNDLE}), so every report is filed on the {@link
 * ConfigurationProblemBoard} under the bundle that made it, and no bundle can clear another's.
 */
@Component(service = ConfigurationProblems.class, scope = ServiceScope.BUNDLE)
public final class BundleConfigurationProblems implements ConfigurationProblems {

    private final ConfigurationProblemBoard board;
    private final long bundleId;
    private final String bundle;

    @Activate
    public BundleConfigurationProblems(ComponentContext context, @Reference ConfigurationProblemBoard board) {
        this(board, context.getUsingBundle());
    }

    private BundleConfigurationProblems(ConfigurationProblemBoard board, Bundle user) {
        this(board, user.getBundleId(), user.getSymbolicName() + " [" + user.getBundleId() + "]");
    }

    /** @param bundle the using bundle as shown, {@code symbolic-name [id]} */
    public BundleConfigurationProblems(ConfigurationProblemBoard board, long bundleId, String bundle) {
        this.board = board;
        this.bundleId = bundleId;
        this.bundle = bundle;
    }

    @Override
    public void refused(String pid, String problem, boolean previousKept) {
        board.refused(bundleId, bundle, pid, problem, previousKept);
    }

    @Override
    public void accepted(String pid) {
        board.accepted(bundleId, pid);
    }
}
