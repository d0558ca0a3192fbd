package io.tokenhost.host.config;

import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.cm.ConfigurationPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <key>.file=/path} for every configuration: a ConfigAdmin plugin, so ConfigAdmin applies it
 * each time it hands a configuration to a component (Felix SCR asks for the processed properties;
 * ManagedServices get them from ConfigAdmin itself), and never to what it stores. See {@link
 * SecretFileReferences}. Each problem is logged once (ERROR when the key stays unset, WARNING when
 * the file is readable by others); errors are listed by {@code token:status} (on the {@link
 * ConfigurationProblemBoard}, once that is there) until the configuration resolves or is deleted.
 * Registered by {@link HostCoreActivator}, before any component gets a configuration.
 */
public final class SecretFilePlugin implements ConfigurationPlugin, ConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(SecretFilePlugin.class);

    private final long bundleId;
    private final String bundle;
    /** PID → its problems as last reported, so that a problem is logged once, not on each delivery. */
    private final Map<String, List<SecretFileReferences.Problem>> current = new HashMap<>();
    private ConfigurationProblemBoard board;

    /** @param bundle the host core as shown by {@code token:status}, {@code symbolic-name [id]} */
    public SecretFilePlugin(long bundleId, String bundle) {
        this.bundleId = bundleId;
        this.bundle = bundle + " (" + SecretFileReferences.SUFFIX + " keys)";
    }

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        Object pidValue = properties.get(Constants.SERVICE_PID);
        String pid = pidValue == null ? "(no pid)" : pidValue.toString();
        report(pid, SecretFileReferences.resolve(properties));
    }

    private synchronized void report(String pid, List<SecretFileReferences.Problem> problems) {
        if (problems.equals(current.getOrDefault(pid, List.of()))) {
            return;
        }
        if (problems.isEmpty()) {
            current.remove(pid);
        } else {
            current.put(pid, problems);
        }
        for (SecretFileReferences.Problem problem : problems) {
            if (problem.error()) {
                LOG.error("Configuration {}: {}; the key stays unset", pid, problem.message());
            } else {
                LOG.warn("Configuration {}: {}", pid, problem.message());
            }
        }
        post(pid, problems);
    }

    /** Lists the errors on {@code board} from now on (null: no board); posts what is known already. */
    synchronized void board(ConfigurationProblemBoard board) {
        this.board = board;
        current.forEach(this::post);
    }

    private void post(String pid, List<SecretFileReferences.Problem> problems) {
        if (board == null) {
            return;
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
            current.remove(event.getPid());
            if (board != null) {
                board.accepted(bundleId, event.getPid());
            }
        }
    }
}
