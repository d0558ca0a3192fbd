package io.tokenhost.host.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link ConsoleServer} while a Gogo {@link CommandProcessor} is available, on the socket
 * named by the framework property {@value #SOCKET_PROPERTY}. The allowed user is the owner of
 * {@value #HOME_PROPERTY} (the installation).
 */
@Component(immediate = true, service = {ConsoleComponent.class, Supplier.class},
        property = ConsoleComponent.COUNTERS_PROPERTY + "=console")
public class ConsoleComponent implements Supplier<Map<String, Long>> {

    /**
     * Services registered as {@code Supplier<Map<String, Long>>} with this property hand out counters
     * by name (here the console's refusals), for the shell now and the metrics endpoint later.
     */
    public static final String COUNTERS_PROPERTY = "tokenhost.counters";

    static final String SOCKET_PROPERTY = "tokenhost.console.socket";
    static final String HOME_PROPERTY = "tokenhost.home";
    /** Enough that one local tool holding some connections open cannot lock other clients out. */
    static final int MAX_CONCURRENT = 16;
    /** The client sends its request right after connecting; a connection silent this long is closed. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleComponent.class);

    @Reference
    private CommandProcessor processor;

    private volatile ConsoleServer server;

    /** Connections refused busy and closed idle since the console started (none without a console). */
    public Map<String, Long> refusals() {
        ConsoleServer current = server;
        return current == null ? Map.of() : current.refusals();
    }

    /** The counters service: {@link #refusals()}. */
    @Override
    public Map<String, Long> get() {
        return refusals();
    }

    /** Never throws: without a console the host still serves tokens, and says why in the log. */
    @Activate
    void activate(BundleContext context) {
        String socket = context.getProperty(SOCKET_PROPERTY);
        String home = context.getProperty(HOME_PROPERTY);
        if (socket == null || socket.isBlank() || home == null || home.isBlank()) {
            LOG.warn("console: framework properties {} and {} not set: no local console", SOCKET_PROPERTY,
                    HOME_PROPERTY);
            return;
        }
        Path socketPath = Path.of(socket).toAbsolutePath();
        try {
            start(socketPath, Files.getOwner(Path.of(home)));
        } catch (IOException | RuntimeException e) {
            LOG.error("console: not started, bin/tokenhost client will not reach this host: {}", e.getMessage());
        }
    }

    private void start(Path socketPath, UserPrincipal owner) throws IOException {
        server = ConsoleServer.start(socketPath, new PeerCheck(owner), new GogoCommandExecutor(processor),
                MAX_CONCURRENT, REQUEST_TIMEOUT);
        UserPrincipal self = Files.getOwner(socketPath.getParent());
        if (!self.equals(owner)) {
            LOG.warn("console: the host runs as {} but the installation belongs to {}: only {} is accepted,"
                    + " and the socket directory is not reachable for that user", self.getName(),
                    owner.getName(), owner.getName());
        }
        LOG.info("console: listening on {} for user {}", socketPath, owner.getName());
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
