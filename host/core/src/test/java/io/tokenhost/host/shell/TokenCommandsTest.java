package io.tokenhost.host.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.api.ObtainedTokens;
import io.tokenhost.api.ReceiverStatus;
import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.host.config.BundleConfigurationProblems;
import io.tokenhost.host.config.ConfigurationProblemBoard;
import io.tokenhost.host.config.ManagerConfig;
import io.tokenhost.host.config.ManagerConfiguration;
import io.tokenhost.host.core.ManagerSettings;
import io.tokenhost.host.core.ReceivedService;
import io.tokenhost.host.core.PluginBundle;
import io.tokenhost.host.core.TokenManager;
import io.tokenhost.host.core.TokenManager.Departure;
import io.tokenhost.host.core.WallClockTimer;
import io.tokenhost.host.osgi.TokenControl;
import io.tokenhost.host.plugins.PluginReporter;
import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.SecretForms;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The commands' output over a real token manager (without OSGi), and that no token bytes show. */
class TokenCommandsTest {

    private static final String SECRET = "SECRET-TOKEN-BYTES";
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final TokenManager manager = new TokenManager(clock, new WallClockTimer(clock, timer, Duration.ofSeconds(1)),
            threads, threads, () -> 0.5, ManagerSettings.DEFAULTS);
    private final ConfigurationProblemBoard problems = new ConfigurationProblemBoard();
    private final ManagerControl control = new ManagerControl(manager);
    private final TokenCommands commands = new TokenCommands(control, new PluginReporter(), problems, clock);

    @AfterEach
    void stop() {
        manager.close();
        timer.shutdownNow();
        threads.shutdownNow();
    }

    @Test
    void statusShowsStateTimesAndFingerprintButNeverTokenBytes() throws Exception {
        manager.addProvider(provider("hdfs", null), "hadoop-bundle [7]");
        manager.addReceiver(receiver("hdfs"), "receiver-bundle [8]");
        manager.obtainNow("hdfs").get();

        String status = commands.status();

        assertThat(status).startsWith("Container version ");
        assertThat(status).contains("hdfs", "VALID", "2026-11-23T10:00:00Z (now)",
                "2026-11-23T11:00:00Z (in 1h)", "2026-11-23T10:45:00Z (in 45m)", " (18 B)");
        SecretForms.assertAbsent("token:status", status, SECRET.getBytes(StandardCharsets.UTF_8));
        assertThat(commands.providers()).contains("hdfs", "hadoop-bundle [7]", "VALID", "true");
        awaitDelivered();
        String receivers = commands.receivers();
        assertThat(receivers).contains("hdfs", "receiver-bundle [8]");
        SecretForms.assertAbsent("token:receivers", receivers, SECRET.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void onAWorkerStatusListsTheReceivedServicesExpiredOnesWithTheirTime() {
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
        manager.applyRemote(TokenContainer.of(12, Map.of("hdfs", secret, "s3", secret, "kafka", secret),
                Map.of("hdfs", NOW.minusSeconds(30), "s3", NOW.plus(Duration.ofMinutes(10)))));

        String status = commands.status();

        assertThat(status).startsWith("Container version 12").contains("No providers.", "Tokens received from the manager:");
        assertThat(status).containsPattern("\nhdfs\\s+EXPIRED\\s+2026-11-23T09:59:30Z \\(30s ago\\)\\s+12\\s+"
                + "2026-11-23T10:00:00Z \\(now\\)\\s+-\n");
        assertThat(status).containsPattern("\ns3\\s+VALID\\s+2026-11-23T10:10:00Z \\(in 10m\\)\\s+12\\s+\\S+ \\S+"
                + "\\s+[0-9a-f]{12} \\(18 B\\)");
        assertThat(status).containsPattern("\nkafka\\s+VALID\\s+-\\s+12\\s");
        SecretForms.assertAbsent("token:status", status, SECRET.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void statusSaysWhenAPluginUpdateHandsTokensOverAndWhenTheyAreThePreviousRevisions() throws Exception {
        PluginBundle plugin = new PluginBundle("io.tokenhost.example.provider", 12);
        DelegationTokenProvider good = provider("hdfs", null);
        manager.addProvider(good, plugin);
        manager.obtainNow("hdfs").get();

        manager.removeProvider(good, Departure.BUNDLE_STOPPING);
        assertThat(commands.providers()).contains("hdfs", "io.tokenhost.example.provider [12]", "HANDING_OVER", "false");
        assertThat(commands.status()).contains("HANDING_OVER", " (18 B)").doesNotContain("previous revision");

        manager.addProvider(provider("hdfs", "this build cannot obtain"), plugin);
        manager.obtainNow("hdfs").get();

        String status = commands.status();
        assertThat(status).contains("FAILING", " (18 B) of the previous revision", "this build cannot obtain",
                "2026-11-23T11:00:00Z (in 1h)");
        SecretForms.assertAbsent("token:status", status, SECRET.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aStandaloneHostsStatusHasNoReceivedSection() throws Exception {
        manager.addProvider(provider("hdfs", null), "hadoop-bundle [7]");
        manager.obtainNow("hdfs").get();
        assertThat(commands.status()).doesNotContain("received from the manager");
    }

    @Test
    void obtainReportsEachServiceAndFailsWhenOneFails() throws Exception {
        manager.addProvider(provider("good", null), "a");
        manager.addProvider(provider("bad", "KDC unreachable"), "b");

        assertThat(commands.obtain("good")).contains("good", "VALID", "fingerprint");
        assertThatThrownBy(commands::obtain).hasMessageContaining("obtain failed for bad")
                .hasMessageContaining("KDC unreachable");
        assertThatThrownBy(() -> commands.obtain("missing")).hasMessageContaining("obtain failed for missing")
                .hasMessageContaining("no provider for service 'missing'");
    }

    @Test
    void configShowsEveryDeclaredKeyInForce() {
        control.configure(Map.of("renewal.fallback-period", "2h", "provider.s3.enabled", "false",
                "provider.s3.renewal.retry.max-wait-without-tokens", "5s"));
        assertThat(commands.config()).isEqualTo("""
                enabled=true
                obtain.timeout=30s
                plugin.start-timeout=10s
                renewal.fallback-period=2h
                renewal.min-interval=1s
                renewal.retry.backoff=30s
                renewal.retry.backoff.max=10m
                renewal.retry.jitter=0.2
                renewal.retry.max-wait-without-tokens=15s
                renewal.time-ratio=0.75
                update.grace=20s
                provider.s3.enabled=false
                provider.s3.renewal.retry.max-wait-without-tokens=5s""");
    }

    @Test
    void statusListsTheRefusedConfigurationsOfEveryBundle() {
        new BundleConfigurationProblems(problems, 12, "io.tokenhost.example.provider [12]").refused(
                "io.tokenhost.example.provider", "token.lifetime: must be a duration such as 500ms, 30s, 5m, 1h, 2d"
                        + " or PT30S, got 'soon'", true);
        new BundleConfigurationProblems(problems, 5, "io.tokenhost.host [5]").refused(
                "io.tokenhost.manager", "enabled: must be true or false, got 'yes'", false);

        assertThat(commands.status()).isEqualTo("""
                Container version 0
                Configuration io.tokenhost.manager of io.tokenhost.host [5] refused (not started):\
                 enabled: must be true or false, got 'yes'
                Configuration io.tokenhost.example.provider of io.tokenhost.example.provider [12] refused\
                 (previous settings in force): token.lifetime: must be a duration such as 500ms, 30s, 5m, 1h, 2d\
                 or PT30S, got 'soon'
                No providers.""");
    }

    @Test
    void anIdleManagerSaysItIsNotStartedAndWhy() {
        control.refuseAtStart("enabled: must be true or false, got 'yes'");
        new BundleConfigurationProblems(problems, 5, "io.tokenhost.host [5]").refused(
                "io.tokenhost.manager", "enabled: must be true or false, got 'yes'", false);

        assertThat(commands.status()).isEqualTo("""
                Container version 0; the manager is NOT STARTED: its configuration is refused
                Configuration io.tokenhost.manager of io.tokenhost.host [5] refused (not started):\
                 enabled: must be true or false, got 'yes'
                No providers.""");
        assertThat(commands.config()).isEqualTo("# refused, the manager is not started: enabled: must be true or false,"
                + " got 'yes'");
    }

    @Test
    void emptyHostSaysSo() {
        assertThat(commands.providers()).isEqualTo("No providers.");
        assertThat(commands.receivers()).isEqualTo("No receivers.");
        assertThat(commands.status()).isEqualTo("Container version 0\nNo providers.");
        assertThatThrownBy(() -> commands.plugins(false)).hasMessageContaining("no plugins directory");
    }

    @Test
    void aReceiverWhoseServiceHasNoProviderIsAWarningUntilAProviderComes() throws Exception {
        manager.addReceiver(receiver("hfds"), "typo-receiver [9]");
        manager.addReceiver(receiver("hdfs"), "receiver-bundle [8]");
        manager.addProvider(provider("hdfs", null), "hadoop-bundle [7]");

        String warning = "Warning: receiver of service 'hfds' (typo-receiver [9]) has no provider";
        assertThat(commands.status()).contains(warning).doesNotContain("service 'hdfs'");

        manager.addProvider(provider("hfds", null), "other-bundle [10]");
        assertThat(commands.status()).doesNotContain("Warning");
    }

    /** Fails (rather than going on regardless) if the receiver has not been delivered to within 5 s. */
    private void awaitDelivered() throws InterruptedException {
        Await.atMost(Duration.ofSeconds(5)).every(Duration.ofMillis(5))
                .until("the receiver got its first delivery", () -> manager.receivers().get(0).deliveredVersion() > 0);
    }

    private DelegationTokenProvider provider(String service, String failure) {
        return new DelegationTokenProvider() {
            @Override
            public String serviceName() {
                return service;
            }

            @Override
            public ObtainedTokens obtainDelegationTokens() {
                if (failure != null) {
                    throw new IllegalStateException(failure);
                }
                return ObtainedTokens.of(SECRET.getBytes(StandardCharsets.UTF_8), NOW.plus(Duration.ofHours(1)));
            }
        };
    }

    private static DelegationTokenReceiver receiver(String service) {
        return new DelegationTokenReceiver() {
            @Override
            public String serviceName() {
                return service;
            }

            @Override
            public void onNewTokensObtained(byte[] tokens) {
            }
        };
    }

    /** The OSGi component's control surface, over a manager built here. */
    private static final class ManagerControl implements TokenControl {
        private final TokenManager manager;
        private Optional<ManagerConfig> config = Optional.of(parse(Map.of()));
        private Optional<String> problem = Optional.empty();

        ManagerControl(TokenManager manager) {
            this.manager = manager;
        }

        void configure(Map<String, ?> properties) {
            config = Optional.of(parse(properties));
            manager.updateSettings(config.get().settings());
        }

        void refuseAtStart(String reason) {
            config = Optional.empty();
            problem = Optional.of(reason);
        }

        private static ManagerConfig parse(Map<String, ?> properties) {
            return ManagerConfig.parse(ConfigValues.of(properties, ManagerConfiguration.class));
        }

        public long containerVersion() {
            return manager.containerVersion();
        }

        public List<ServiceStatus> services() {
            return manager.services();
        }

        public List<ReceiverStatus> receivers() {
            return manager.receivers();
        }

        public CompletableFuture<ServiceStatus> obtainNow(String service) {
            return manager.obtainNow(service);
        }

        public Map<String, CompletableFuture<ServiceStatus>> obtainAllNow() {
            return manager.obtainAllNow();
        }

        public ManagerSettings settings() {
            return manager.settings();
        }

        public List<ReceivedService> receivedServices() {
            return manager.receivedServices();
        }

        public Optional<Map<String, String>> configurationInForce() {
            return config.map(ManagerConfig::inForce);
        }

        public Optional<String> configurationProblem() {
            return problem;
        }

        public List<String> configurationWarnings() {
            return List.of();
        }

        public Optional<String> standbyReason() {
            return manager.standbyReason();
        }
    }
}
