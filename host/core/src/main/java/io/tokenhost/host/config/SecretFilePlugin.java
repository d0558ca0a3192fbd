package io.tokenhost.host.config;

import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <key>.file=/path} for every configuration: a ConfigAdmin plugin, so ConfigAdmin applies it
 * each time it hands a configuration to a component (Felix SCR asks for the processed properties;
 * ManagedServices get them from ConfigAdmin itself), and never to what it stores. See {@link
 * SecretFileReferences}. Each problem is logged once (ERROR when the key stays unset, WARNING when the
 * file is readable by others) and, if it is an error, listed by {@code token:status} until the
 * configuration resolves or is deleted.
 *
 * <p>It must be registered before any configuration reaches a plugin's component: the host core
 * starts before FileInstall and before the plugin bundles (see the launcher's core bundle order).
 */
@Component(service = {ConfigurationPlugin.class, ConfigurationListener.class},
        property = ConfigurationPlugin.CM_RANKING + ":Integer=100")
public final class SecretFilePlugin implements ConfigurationPlugin, ConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(SecretFilePlugin.class);

    private final ConfigurationProblemBoard board;
    private final long bundleId;
    private final String bundle;
    /** PID → the problems last logged for it, so that a problem is logged once, not on each delivery. */
    private final Map<String, List<SecretFileReferences.Problem>> logged = new HashMap<>();

    @Activate
    public SecretFilePlugin(ComponentContext context, @Reference ConfigurationProblemBoard board) {
        this(board, context.getBundleContext().getBundle());
    }

    private SecretFilePlugin(ConfigurationProblemBoard board, Bundle self) {
        this(board, self.getBundleId(), self.getSymbolicName() + " [" + self.getBundleId() + "] (" + SecretFileReferences.SUFFIX
                + " keys)");
    }

    SecretFilePlugin(ConfigurationProblemBoard board, long bundleId, String bundle) {
        this.board = board;
        this.bundleId = bundleId;
        this.bundle = bundle;
    }

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        Object pidValue = properties.get(Constants.SERVICE_PID);
        String pid = pidValue == null ? "(no pid)" : pidValue.toString();
        List<SecretFileReferences.Problem> problems = SecretFileReferences.resolve(properties);
        report(pid, problems);
    }

    synchronized void report(String pid, List<SecretFileReferences.Problem> problems) {
        if (problems.equals(logged.getOrDefault(pid, List.of()))) {
            return;
        }
        logged.put(pid, problems);
        for (SecretFileReferences.Problem problem : problems) {
            if (problem.error()) {
                LOG.error("Configuration {}: {}; the key stays unset", pid, problem.message());
            } else {
                LOG.warn("Configuration {}: {}", pid, problem.message());
            }
        }
        List<String> errors = problems.stream().filter(SecretFileReferences.Problem::error)
                .map(SecretFileReferences.Problem::message).toList();
        if (errors.isEmpty()) {
            board.accepted(bundleId, pid);
        } else {
            board.refused(bundleId, bundle, pid, String.join("; ", errors), false);
        }
    }

    @Override
    public synchronized void configurationEvent(ConfigurationEvent event) {
        if (event.getType() == ConfigurationEvent.CM_DELETED) {
            logged.remove(event.getPid());
            board.accepted(bundleId, event.getPid());
        }
    }
}
