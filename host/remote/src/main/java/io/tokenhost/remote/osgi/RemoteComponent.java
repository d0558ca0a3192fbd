package io.tokenhost.remote.osgi;

import io.tokenhost.api.distribution.TokenContainerListener;
import io.tokenhost.api.distribution.TokenContainerSink;
import io.tokenhost.remote.config.RemoteConfig;
import io.tokenhost.remote.config.RemoteConfigException;
import io.tokenhost.remote.config.RemoteSettings;
import io.tokenhost.remote.config.WorkerIdentity;
import io.tokenhost.remote.manager.ManagerServer;
import io.tokenhost.remote.tls.TlsContexts;
import io.tokenhost.remote.worker.Backoff;
import io.tokenhost.remote.worker.WorkerClient;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the role that configuration PID {@value RemoteConfig#PID} asks for. {@code standalone}
 * (the default): nothing. {@code manager}: a {@link ManagerServer}, registered as the host's {@link
 * TokenContainerListener}, and {@code token:workers}. {@code worker}: a {@link WorkerClient} that
 * feeds the host's {@link TokenContainerSink}, and {@code token:manager}. A changed configuration
 * restarts the component (no {@code @Modified}). A refused configuration or a missing TLS file is
 * logged with the reason and the host keeps running in its local role.
 */
@Component(immediate = true, configurationPid = RemoteConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
public final class RemoteComponent {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteComponent.class);

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private ManagerServer manager;
    private WorkerClient worker;
    private ScheduledExecutorService scheduler;

    @Activate
    public RemoteComponent(BundleContext context, Map<String, Object> properties,
            @Reference TokenContainerSink sink) {
        Path home = Path.of(System.getProperty("tokenhost.home", ".")).toAbsolutePath();
        RemoteSettings settings;
        try {
            settings = RemoteConfig.parse(properties, home);
        } catch (RemoteConfigException e) {
            LOG.error("Configuration {} refused, remote distribution is off: {}", RemoteConfig.PID, e.getMessage());
            return;
        }
        RemoteConfig.unknownKeys(properties)
                .forEach(k -> LOG.warn("Configuration {}: unknown key '{}' ignored", RemoteConfig.PID, k));
        try {
            switch (settings.role()) {
                case STANDALONE -> LOG.info("Role standalone: no remote distribution");
                case MANAGER -> startManager(context, settings);
                case WORKER -> startWorker(context, settings, sink);
            }
        } catch (Exception e) {
            LOG.error("Cannot start the {} role, remote distribution is off: {}", settings.role(), e.getMessage());
            stop();
        }
    }

    private void startManager(BundleContext context, RemoteSettings s) throws Exception {
        manager = new ManagerServer(new InetSocketAddress(s.listenHost(), s.listenPort()),
                s.insecure() ? null : TlsContexts.server(s.caFile(), s.certFile(), s.keyFile()), Clock.systemUTC())
                .start();
        registrations.add(context.registerService(TokenContainerListener.class, manager, null));
        registrations.add(context.registerService(Object.class, new ManagerCommands(manager, Clock.systemUTC()),
                commandProperties("workers")));
    }

    private void startWorker(BundleContext context, RemoteSettings s, TokenContainerSink sink) throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tokenhost-remote-reconnect");
            thread.setDaemon(true);
            return thread;
        });
        String workerId = WorkerIdentity.resolve(s);
        WorkerClient.Target target = new WorkerClient.Target(s.managerHost(), s.managerPort(),
                s.insecure() ? null : TlsContexts.client(s.caFile(), s.certFile(), s.keyFile()), workerId,
                s.keepAlive());
        SecureRandom random = new SecureRandom();
        worker = new WorkerClient(target, sink::accept,
                new Backoff(s.backoff(), s.backoffMax(), s.jitter(), random::nextDouble), scheduler, null,
                Clock.systemUTC(), false);
        worker.start();
        registrations.add(context.registerService(Object.class, new WorkerCommands(worker, Clock.systemUTC()),
                commandProperties("manager")));
        LOG.info("Role worker '{}': subscribing to the manager at {}", workerId, s.managerAddress());
    }

    private static Hashtable<String, Object> commandProperties(String function) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.command.scope", "token");
        properties.put("osgi.command.function", new String[] {function});
        return properties;
    }

    @Deactivate
    void stop() {
        registrations.forEach(r -> {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        });
        registrations.clear();
        if (manager != null) {
            manager.close();
            manager = null;
        }
        if (worker != null) {
            worker.close();
            worker = null;
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }
}
