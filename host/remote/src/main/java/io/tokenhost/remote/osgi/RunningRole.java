package io.tokenhost.remote.osgi;

import io.tokenhost.api.distribution.LeadershipSwitch;
import io.tokenhost.api.distribution.TokenContainerListener;
import io.tokenhost.api.distribution.TokenContainerSink;
import io.tokenhost.api.telemetry.ManagerTelemetry;
import io.tokenhost.api.telemetry.RemoteRole;
import io.tokenhost.api.telemetry.TokenEvents;
import io.tokenhost.api.telemetry.WorkerTelemetry;
import io.tokenhost.remote.access.AccessControl;
import io.tokenhost.remote.access.AccessPolicy;
import io.tokenhost.remote.config.PreparedRole;
import io.tokenhost.remote.ha.HaSettings;
import io.tokenhost.remote.ha.LeaderElection;
import io.tokenhost.remote.manager.ManagerServer;
import io.tokenhost.remote.telemetry.ManagerWatch;
import io.tokenhost.remote.telemetry.WorkerWatch;
import io.tokenhost.remote.tls.FileWatch;
import io.tokenhost.remote.tls.LiveTls;
import io.tokenhost.remote.worker.Backoff;
import io.tokenhost.remote.worker.LastContainerFile;
import io.tokenhost.remote.worker.SavedContainerRestore;
import io.tokenhost.remote.worker.WorkerClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started role and what it registered. {@code manager}: a {@link ManagerServer} behind a {@link
 * ManagerWatch}, which is registered as the host's {@link TokenContainerListener} and, for the
 * metrics bundle, as {@link ManagerTelemetry} (role {@code manager}; with {@code ha.*} keys {@code
 * leader} or {@code standby}, following the election); and {@code token:workers}. {@code worker}: a
 * {@link WorkerClient} that feeds the host's {@link TokenContainerSink} through a {@link WorkerWatch}
 * (registered as {@link WorkerTelemetry}) and saves every applied container to {@code
 * data/worker/last-container} ({@link LastContainerFile}), from which it first restores what is
 * still valid ({@link SavedContainerRestore}); and {@code token:manager}. {@code standalone}:
 * nothing. Closing unregisters the services and stops the role.
 */
final class RunningRole implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunningRole.class);

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    /** What to stop, in this order, after the services are unregistered. */
    private final List<AutoCloseable> parts = new ArrayList<>();
    /** Read by an HA manager's election thread (its access policy is published): volatile. */
    private volatile PreparedRole prepared;
    /** A manager's access policy in force (null for other roles). */
    private AccessControl access;
    private AccessControl.Report accessReport = AccessControl.Report.NONE;

    private RunningRole() {
    }

    /**
     * @param dataDir the installation's {@code data/}, where a worker keeps its last container
     * @throws IOException if the role cannot start (a manager cannot listen, say); nothing is left running
     */
    static RunningRole start(PreparedRole role, BundleContext context, TokenContainerSink sink, Path dataDir)
            throws IOException {
        return start(role, context, sink, NO_SWITCH, List::of, dataDir, new TokenEvents() { }, AccessControl.Report.NONE);
    }

    /** A host without a {@link LeadershipSwitch} (unit tests): nothing to switch. */
    static final LeadershipSwitch NO_SWITCH = new LeadershipSwitch() {
        @Override
        public void lead() {
        }

        @Override
        public void standBy(String why) {
        }
    };

    /**
     * Also registers what the role sees for the metrics bundle ({@link ManagerTelemetry} or {@link
     * WorkerTelemetry}, both a {@link RemoteRole}) and tells {@code events} of pushes and acknowledgements.
     *
     * @param leadership the host's token manager: told to stand by on every manager of several that
     *     does not lead, and to lead otherwise (every role without {@code ha.*} keys leads)
     * @param providers the services this host provides (an HA manager compares them with the leader's)
     * @param accessReport where a manager's held-back access policy is shown ({@code token:status})
     */
    static RunningRole start(PreparedRole role, BundleContext context, TokenContainerSink sink,
            LeadershipSwitch leadership, Supplier<List<String>> providers, Path dataDir, TokenEvents events,
            AccessControl.Report accessReport) throws IOException {
        RunningRole running = new RunningRole();
        running.prepared = role;
        running.accessReport = accessReport;
        try {
            // PreparedRole is sealed: these are all its kinds (a switch with patterns needs Java 21)
            if (role instanceof PreparedRole.Manager manager && manager.ha().isPresent()) {
                running.haManager(manager, manager.ha().get(), context, leadership, providers, events);
                return running;
            }
            leadership.lead();
            if (role instanceof PreparedRole.Manager manager) {
                running.manager(manager, context, providers, events);
            } else if (role instanceof PreparedRole.Worker worker) {
                running.worker(worker, context, sink, dataDir);
            } else {
                LOG.info("Role standalone: no remote distribution");
            }
        } catch (IOException | RuntimeException e) {
            running.close();
            throw e;
        }
        return running;
    }

    /**
     * Puts the manager behind its access policy: each new container's services first let a held-back
     * policy come into force (see {@link AccessControl}).
     */
    private void scope(ManagerServer manager, PreparedRole.Manager role, Supplier<List<String>> providers) {
        role.tls().ifPresent(tls -> {
            manager.revocations(tls.revocations());
            tls.onRevocations(manager::revocations);
            watch(tls);
        });
        access = new AccessControl(() -> Set.copyOf(providers.get()), manager::accessPolicy, accessReport);
        AccessControl control = access;
        manager.beforeEachContainer(container -> control.containerServices(container.services()));
        access.configure(role.settings().access());
    }

    /** Reads the role's TLS files again whenever they change (rotation, revocation): see {@link LiveTls}. */
    private void watch(LiveTls tls) {
        parts.add(0, new FileWatch(tls.files(), FileWatch.PERIOD, tls::reload)); // stopped first
    }

    /**
     * Applies a new configuration to this role without restarting it, if only a manager's access
     * policy changed. @return false if the role must be restarted
     */
    boolean changeInPlace(PreparedRole role) {
        if (access == null || !(prepared instanceof PreparedRole.Manager was)
                || !(role instanceof PreparedRole.Manager now) || !was.sameButAccess(now)) {
            return false;
        }
        prepared = role;
        access.configure(now.settings().access());
        return true;
    }

    private void manager(PreparedRole.Manager role, BundleContext context, Supplier<List<String>> providers,
            TokenEvents events) throws IOException {
        ManagerServer manager = new ManagerServer(role.listen(), Clock.systemUTC());
        parts.add(manager);
        manager.start();
        keepWorkersTokensWhenTheHostStops(manager, context);
        scope(manager, role, providers);
        // the watch passes every container on to the server, timing the push until every worker has it
        ManagerWatch watch = new ManagerWatch(manager, Clock.systemUTC(), events, "manager");
        manager.onAcknowledgement(watch::acknowledged);
        registrations.add(context.registerService(new String[] {TokenContainerListener.class.getName(),
            ManagerTelemetry.class.getName(), RemoteRole.class.getName()}, watch, null));
        registrations.add(context.registerService(Object.class, new ManagerCommands(manager, Optional::empty,
                Clock.systemUTC()), commandProperties("workers")));
    }

    /**
     * Before the plugins stop with the host (the system bundle's STOPPING comes first, synchronously),
     * the server stops pushing: the providers leaving must not withdraw the workers' tokens.
     */
    private void keepWorkersTokensWhenTheHostStops(ManagerServer manager, BundleContext context) {
        SynchronousBundleListener hostStopping = event -> {
            if (event.getBundle().getBundleId() == 0 && event.getType() == BundleEvent.STOPPING) {
                manager.hostStopping();
            }
        };
        context.addBundleListener(hostStopping);
        parts.add(() -> {
            try {
                context.removeBundleListener(hostStopping);
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        });
    }

    /**
     * One of several managers: starts as a standby (refusing workers, obtaining nothing) and leads
     * only while the election says so. Its {@link ManagerWatch} reports {@code leader} or {@code
     * standby} from the server's term, so {@code /ready} answers 429 on a standby.
     */
    private void haManager(PreparedRole.Manager role, HaSettings ha, BundleContext context, LeadershipSwitch leadership,
            Supplier<List<String>> providers, TokenEvents events) throws IOException {
        String waiting = "waiting for the leader election (cluster '" + ha.clusterId() + "')";
        leadership.standBy(waiting);
        ManagerServer manager = ManagerServer.standby(role.listen(), Clock.systemUTC(), waiting);
        manager.start();
        keepWorkersTokensWhenTheHostStops(manager, context);
        ManagerWatch watch = ManagerWatch.elected(manager, Clock.systemUTC(), events);
        manager.onAcknowledgement(watch::acknowledged);
        String me = ha.advertisedAddress().orElseGet(() -> advertised(role.listen().listen(), manager.port()));
        LeaderElection.Listener terms = new LeaderElection.Listener() {
            @Override
            public void elected(long epoch) {
                manager.leading(epoch); // accept workers first, so the first obtain's container reaches them
                watch.newTerm();
                leadership.lead();
            }

            @Override
            public void notLeading(String why, Optional<String> leader) {
                manager.standingBy(why, leader); // stop pushing first
                watch.newTerm();
                leadership.standBy(why);
            }
        };
        LeaderElection election = new LeaderElection(ha, me, providers, this::configuredAccessPolicy, terms);
        parts.add(election); // closed first: its leadership goes to a standby while this one stops
        parts.add(manager);
        election.start();
        scope(manager, role, providers);
        registrations.add(context.registerService(new String[] {TokenContainerListener.class.getName(),
            ManagerTelemetry.class.getName(), RemoteRole.class.getName()}, watch, null));
        registrations.add(context.registerService(Object.class, new ManagerCommands(manager, () -> Optional.of(election.status()),
                Clock.systemUTC()), commandProperties("workers")));
    }

    /** A manager's configured access policy as the log shows it (compared with an HA leader's); empty: none. */
    private Optional<String> configuredAccessPolicy() {
        return prepared instanceof PreparedRole.Manager m ? Optional.of(m.settings().access())
                .filter(AccessPolicy::configured).map(AccessPolicy::describe) : Optional.empty();
    }

    /** host:port of this manager as workers list it, when ha.advertised-address does not say. */
    private static String advertised(InetSocketAddress listen, int port) {
        InetAddress address = listen.getAddress();
        if (address != null && !address.isAnyLocalAddress()) {
            return listen.getHostString() + ":" + port;
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName() + ":" + port;
        } catch (UnknownHostException e) {
            return "localhost:" + port;
        }
    }

    private void worker(PreparedRole.Worker role, BundleContext context, TokenContainerSink sink, Path dataDir) {
        Clock clock = Clock.systemUTC();
        WorkerWatch watch = new WorkerWatch(clock, sink::accept);
        LastContainerFile saved = new LastContainerFile(dataDir.resolve("worker").resolve(LastContainerFile.NAME), clock);
        // before connecting: a manager that is down must not leave the receivers empty
        SavedContainerRestore.restore(saved, clock.instant(), role.restoreWithoutExpiryMaxAge()).ifPresent(watch::accept);
        long fence = saved.read().map(LastContainerFile.Saved::fence).orElse(0L);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tokenhost-remote-reconnect");
            thread.setDaemon(true);
            return thread;
        });
        role.tls().ifPresent(this::watch);
        SecureRandom random = new SecureRandom();
        WorkerClient worker = new WorkerClient(role.connection(), watch::accept,
                (container, epoch, newFence) -> saved.save(epoch, newFence, container), fence, new Backoff(role.backoff(), role.backoffMax(), role.jitter(), random::nextDouble), scheduler, clock);
        parts.add(worker);
        parts.add(scheduler::shutdownNow);
        watch.linkStatus(worker::status);
        worker.start();
        registrations.add(context.registerService(new String[] {WorkerTelemetry.class.getName(),
            RemoteRole.class.getName()}, watch, null));
        registrations.add(context.registerService(Object.class, new WorkerCommands(worker, Clock.systemUTC()),
                commandProperties("manager")));
        LOG.info("Role worker '{}': subscribing to the manager at {}{}", role.connection().workerId(),
                role.connection().address(), fence > 0 ? " (fence: leader epoch " + fence + " or later)" : "");
    }

    private static Hashtable<String, Object> commandProperties(String function) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.command.scope", "token");
        properties.put("osgi.command.function", new String[] {function});
        return properties;
    }

    @Override
    public void close() {
        registrations.forEach(r -> {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        });
        registrations.clear();
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("Stopping the remote role: {}", e.toString());
            }
        }
        parts.clear();
    }
}
