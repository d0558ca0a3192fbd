package io.tokenhost.remote.osgi;

import io.tokenhost.api.ConfigurationProblems;
import io.tokenhost.api.Configured;
import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.TokenStatusView;
import io.tokenhost.api.distribution.LeadershipSwitch;
import io.tokenhost.api.distribution.TokenContainerSink;
import io.tokenhost.api.telemetry.TokenEvents;
import io.tokenhost.remote.access.AccessPolicy;
import io.tokenhost.remote.config.PreparedRole;
import io.tokenhost.remote.config.RemoteConfig;
import io.tokenhost.remote.config.RemoteSettings;
import io.tokenhost.remote.telemetry.EventsRelay;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the role that configuration PID {@value RemoteConfig#PID} asks for ({@link RunningRole}).
 * A new good configuration restarts the role; a refused one is logged at ERROR naming the key and
 * the rule and reported to the host's {@link ConfigurationProblems}, and the running role (manager
 * or worker, with its connections) stays as it was. With no good configuration yet, no role runs.
 */
@Component(immediate = true, configurationPid = RemoteConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
@Designate(ocd = RemoteConfig.class)
public final class RemoteComponent {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteComponent.class);

    private final Configured<PreparedRole> configuration = new Configured<>(RemoteConfig.PID, RemoteConfig.class,
            values -> PreparedRole.prepare(RemoteSettings.from(values, home())), LOG::error, LOG::warn)
            .alsoAccepting(AccessPolicy::isAccessKey);

    @Reference
    TokenContainerSink sink;
    /** The host's token manager: a standby manager (high availability) must not obtain. */
    @Reference
    LeadershipSwitch leadership = RunningRole.NO_SWITCH;
    /** What this host provides (compared with the leader's by an HA manager). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile TokenStatusView status;
    private ConfigurationProblems problems;
    private BundleContext context;
    private RunningRole running;
    private final EventsRelay events = new EventsRelay();
    /** A manager's held-back access policy, for token:status (cleared when the role stops). */
    private final AccessPolicyReport accessReport = new AccessPolicyReport();

    /** Observers of pushes and acknowledgements (the metrics and audit bundle). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addEvents(TokenEvents observer) {
        events.add(observer);
    }

    void removeEvents(TokenEvents observer) {
        events.remove(observer);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    synchronized void bindProblems(ConfigurationProblems problems) {
        this.problems = problems;
        configuration.reportTo(problems);
        accessReport.reportTo(problems);
    }

    synchronized void unbindProblems(ConfigurationProblems problems) {
        if (this.problems == problems) { // a replacement may have been bound first
            this.problems = null;
            configuration.reportTo(null);
            accessReport.reportTo(null);
        }
    }

    @Activate
    synchronized void activate(BundleContext context, Map<String, Object> properties) {
        this.context = context;
        // A refused configuration is logged and reported by Configured, and no role runs; the
        // component stays up so that a fixed file reaches @Modified and starts the role.
        configuration.apply(properties).ifPresent(this::start);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configuration.apply(properties).ifPresent(this::change);
    }

    /** A change of only a manager's access policy is applied in place; any other restarts the role. */
    private synchronized void change(PreparedRole role) {
        if (running != null && running.changeInPlace(role)) {
            return;
        }
        stopRole();
        start(role);
    }

    private void start(PreparedRole role) {
        try {
            running = RunningRole.start(role, context, sink, leadership, this::providers, home().resolve("data"), events,
                    accessReport);
        } catch (IOException | RuntimeException e) {
            LOG.error("Cannot start the {} role, remote distribution is off until the configuration changes: {}",
                    role.name(), e.getMessage());
        }
    }

    private List<String> providers() {
        TokenStatusView view = status;
        return view == null ? List.of() : view.services().stream().map(ServiceStatus::serviceName).distinct().toList();
    }

    @Deactivate
    synchronized void deactivate() {
        stopRole();
    }

    private void stopRole() {
        if (running != null) {
            running.close();
            running = null;
        }
        accessReport.cleared(); // the next role's policy is judged anew
    }

    private static Path home() {
        return Path.of(System.getProperty("tokenhost.home", ".")).toAbsolutePath();
    }
}
