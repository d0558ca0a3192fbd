package io.tokenhost.remote.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tokenhost.api.ConfigurationProblems;
import io.tokenhost.remote.manager.ManagerServer;
import io.tokenhost.remote.telemetry.ManagerWatch;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.LoggerFactory;

/**
 * The component's one reaction to its configuration, with real managers on loopback: a refused
 * change leaves the running manager serving; a first configuration that is refused starts nothing,
 * and fixing it starts the role. The framework is a stand-in that only records registrations.
 */
class RemoteComponentTest {

    private static final Map<String, Object> PLAINTEXT_MANAGER = Map.of("role", "manager", "insecure", "true",
            "listen.host", "127.0.0.1", "listen.port", "0");

    private final List<Object> registered = new CopyOnWriteArrayList<>();
    private final List<String> reported = new CopyOnWriteArrayList<>();
    private final RemoteComponent component = new RemoteComponent();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void setUp() {
        component.sink = container -> { };
        component.bindProblems(new ConfigurationProblems() {
            @Override
            public void refused(String pid, String problem, boolean previousKept) {
                reported.add(pid + " refused " + problem + (previousKept ? " (kept)" : " (not started)"));
            }

            @Override
            public void accepted(String pid) {
                reported.add(pid + " accepted");
            }
        });
        logs.start();
        root().addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        component.deactivate();
        root().detachAppender(logs);
    }

    @Test
    void aRefusedChangeLeavesTheRunningManagerServing() throws Exception {
        component.activate(framework(), PLAINTEXT_MANAGER);
        ManagerServer manager = registeredManager();
        int port = manager.port();
        assertThat(accepts(port)).isTrue();

        component.modified(Map.of("role", "manager", "insecure", "maybe"));
        assertThat(registeredManager()).as("the same manager, still registered").isSameAs(manager);
        assertThat(accepts(port)).as("still listening").isTrue();
        assertThat(reported).containsExactly("io.tokenhost.remote accepted",
                "io.tokenhost.remote refused insecure: must be true or false, got 'maybe' (kept)");
        assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.ERROR).singleElement()
                .extracting(ILoggingEvent::getFormattedMessage).isEqualTo("Configuration io.tokenhost.remote refused:"
                        + " insecure: must be true or false, got 'maybe'; the previous settings stay in force");

        component.modified(Map.of());
        assertThat(registered).as("standalone registers nothing").isEmpty();
        assertThat(accepts(port)).as("the manager stopped").isFalse();
    }

    @Test
    void aRefusedFirstConfigurationStartsNothingUntilItIsFixed() throws Exception {
        component.activate(framework(), Map.of("role", "worker"));
        assertThat(registered).isEmpty();
        assertThat(reported).containsExactly("io.tokenhost.remote refused manager.address: must be set for role worker"
                + " (host:port of the manager) (not started)");

        component.modified(PLAINTEXT_MANAGER);
        assertThat(accepts(registeredManager().port())).isTrue();
        assertThat(reported).last().isEqualTo("io.tokenhost.remote accepted");
    }

    @Test
    void aChangeOfOnlyTheAccessKeysIsAppliedToTheRunningManagerAndABadOneIsRefusedNamingTheKey() throws Exception {
        component.activate(framework(), PLAINTEXT_MANAGER);
        ManagerServer manager = registeredManager();
        manager.onContainer(io.tokenhost.api.distribution.TokenContainer.of(1, Map.of("hadoopfs.alice", new byte[] {1},
                "hadoopfs.bob", new byte[] {2})));
        assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN)
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("No access policy"));
        assertThat(manager.grantedServices("etl-alice-1")).hasValueSatisfying(
                s -> assertThat(s).containsExactly("hadoopfs.alice", "hadoopfs.bob"));

        Map<String, Object> scoped = new java.util.HashMap<>(PLAINTEXT_MANAGER);
        scoped.put("access.hadoopfs.alice", "etl-alice-*");
        scoped.put("access.hadoopfs.bob", "etl-bob-*");
        component.modified(scoped);
        assertThat(registeredManager()).as("not restarted").isSameAs(manager);
        assertThat(manager.grantedServices("etl-alice-1")).hasValueSatisfying(
                s -> assertThat(s).containsExactly("hadoopfs.alice"));
        assertThat(manager.currentVersion()).as("re-sent under the next version").isEqualTo(2);
        assertThat(logs.list).as("access.<service> keys are known keys")
                .noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains("unknown key"));

        Map<String, Object> bad = new java.util.HashMap<>(scoped);
        bad.put("access.hadoopfs.bob", "etl-[bob]");
        component.modified(bad);
        assertThat(registeredManager()).isSameAs(manager);
        assertThat(reported).last().asString().startsWith("io.tokenhost.remote refused access.hadoopfs.bob: must be"
                + " worker-id patterns").endsWith("(kept)");
        assertThat(manager.grantedServices("etl-bob-1")).as("the last good policy stays").hasValueSatisfying(
                s -> assertThat(s).containsExactly("hadoopfs.bob"));

        Map<String, Object> onWorker = Map.of("role", "worker", "insecure", "true", "manager.address", "localhost:1",
                "access.default", "deny");
        component.modified(onWorker);
        assertThat(reported).last().asString().contains("access.default: is for role manager only");
    }

    /** Fails if a policy naming an unknown service shows only in the log and not in token:status. */
    @Test
    void aPolicyNamingAnUnknownServiceIsListedForTokenStatusUntilItIsFixed() throws Exception {
        component.activate(framework(), PLAINTEXT_MANAGER);
        ManagerServer manager = registeredManager();
        manager.onContainer(io.tokenhost.api.distribution.TokenContainer.of(1, Map.of("hadoopfs.alice", new byte[] {1},
                "hadoopfs.bob", new byte[] {2})));
        Map<String, Object> scoped = new java.util.HashMap<>(PLAINTEXT_MANAGER);
        scoped.put("access.hadoopfs.alice", "etl-alice-*");
        component.modified(scoped);
        reported.clear();

        Map<String, Object> typo = new java.util.HashMap<>(PLAINTEXT_MANAGER);
        typo.put("access.hadoopfs.alcie", "etl-alice-*");
        component.modified(typo);
        assertThat(registeredManager()).as("not restarted").isSameAs(manager);
        assertThat(reported).containsExactly("io.tokenhost.remote accepted", "io.tokenhost.remote access.* refused"
                + " access.hadoopfs.alcie names a service that no provider of this manager offers (known: hadoopfs.alice,"
                + " hadoopfs.bob); it is checked again with every new container (kept)");
        assertThat(manager.grantedServices("etl-bob-1")).as("the last good policy stays: hadoopfs.alice not to bob's")
                .hasValueSatisfying(s -> assertThat(s).containsExactly("hadoopfs.bob"));

        component.modified(scoped);
        assertThat(reported).last().isEqualTo("io.tokenhost.remote access.* accepted");

        component.modified(typo);
        component.modified(Map.of()); // standalone: no policy to hold back any more
        assertThat(reported).last().isEqualTo("io.tokenhost.remote access.* accepted");
    }

    /** A ConfigurationProblems bound after the policy was held back is told it too. */
    @Test
    void aHeldBackPolicyIsToldToAProblemsServiceBoundLater() throws Exception {
        RemoteComponent unbound = new RemoteComponent();
        unbound.sink = container -> { };
        Map<String, Object> typo = new java.util.HashMap<>(PLAINTEXT_MANAGER);
        typo.put("access.hadoopfs.alcie", "etl-alice-*");
        unbound.activate(framework(), typo);
        List<String> later = new CopyOnWriteArrayList<>();
        try {
            unbound.bindProblems(new ConfigurationProblems() {
                @Override
                public void refused(String pid, String problem, boolean previousKept) {
                    later.add(pid + " refused " + problem + (previousKept ? " (kept)" : " (not started)"));
                }

                @Override
                public void accepted(String pid) {
                    later.add(pid + " accepted");
                }
            });
            assertThat(later).singleElement().asString().startsWith("io.tokenhost.remote access.* refused"
                    + " access.hadoopfs.alcie names a service").endsWith("(not started)");
        } finally {
            unbound.deactivate();
        }
    }

    private ManagerServer registeredManager() {
        assertThat(registered).hasSize(2).anySatisfy(s -> assertThat(s).isInstanceOf(ManagerCommands.class));
        return registered.stream().filter(ManagerWatch.class::isInstance).map(ManagerWatch.class::cast).findFirst()
                .orElseThrow().server();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A bundle context that records registered services until they are unregistered, takes bundle
     * listeners (a manager listens for the host's stop) and does nothing else.
     */
    private BundleContext framework() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("addBundleListener") || method.getName().equals("removeBundleListener")) {
                        return null;
                    }
                    if (!method.getName().equals("registerService")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    registered.add(args[1]);
                    return registration(args[1]);
                });
    }

    private ServiceRegistration<?> registration(Object service) {
        return (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("unregister")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    registered.remove(service);
                    return null;
                });
    }

    private static ch.qos.logback.classic.Logger root() {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
