package io.tokenhost.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The API's rules at their edges: each range is checked at its ends (found by mutation testing:
 * a bound moved by one went unnoticed), and the small default and accessor methods plugin authors
 * rely on.
 */
class ApiBoundariesTest {

    @interface Declared {
        String timeout() default "30s";
        String ratio() default "0.5";
        String port() default "7443";
        String enabled() default "false";
        String password() default "";
    }

    private static ConfigValues values(Map<String, ?> properties) {
        return ConfigValues.of(properties, Declared.class);
    }

    /** Kills the boundary mutants of {@code duration}, {@code integer} and {@code fraction}. */
    @Test
    void everyRangeIncludesItsEndsAndNothingBeyond() {
        assertThat(values(Map.of("timeout", "1ms")).duration("timeout")).isEqualTo(Duration.ofMillis(1));
        assertThat(values(Map.of("timeout", "365d")).duration("timeout")).isEqualTo(ConfigValues.MAX_DURATION);
        assertThatThrownBy(() -> values(Map.of("timeout", "366d")).duration("timeout"))
                .isInstanceOf(ConfigurationRefusedException.class);
        assertThat(values(Map.of("timeout", "2s")).duration("timeout", Duration.ofSeconds(2), Duration.ofSeconds(2)))
                .isEqualTo(Duration.ofSeconds(2));

        assertThat(values(Map.of("port", "1")).integer("port", 1, 65535)).isEqualTo(1);
        assertThat(values(Map.of("port", "65535")).integer("port", 1, 65535)).isEqualTo(65535);
        assertThatThrownBy(() -> values(Map.of("port", "0")).integer("port", 1, 65535))
                .hasMessage("port: must be a whole number from 1 to 65535, got '0'");

        assertThat(values(Map.of("ratio", "0")).fraction("ratio", true)).isZero();
        assertThat(values(Map.of("ratio", "0.999")).fraction("ratio", true)).isEqualTo(0.999);
        assertThatThrownBy(() -> values(Map.of("ratio", "-0.1")).fraction("ratio", true))
                .hasMessageContaining("must be a number from 0 (inclusive) to 1 (exclusive)");
        assertThatThrownBy(() -> values(Map.of("ratio", "1")).fraction("ratio", true))
                .isInstanceOf(ConfigurationRefusedException.class);
        assertThatThrownBy(() -> values(Map.of("ratio", "0")).fraction("ratio", false))
                .hasMessageContaining("must be a number strictly between 0 and 1");
        assertThat(values(Map.of("ratio", "0.001")).fraction("ratio", false)).isEqualTo(0.001);
    }

    @Test
    void booleansSecretsAndPrefixedFamilies() {
        assertThat(values(Map.of("enabled", "TRUE")).bool("enabled")).isTrue();
        assertThat(values(Map.of()).bool("enabled")).isFalse();
        assertThat(values(Map.of("password", " s3cret ")).secret("password")).contains("s3cret");
        assertThat(values(Map.of()).secret("password")).isEmpty();
        assertThat(values(Map.of("hadoop.", "bare prefix", "hadoop.a", " 1 ", "hadoopx", "2")).withPrefix("hadoop."))
                .containsExactly(Map.entry("hadoop.a", "1"));
    }

    /** Kills the boundary mutants of the 60-character cut of shown values and the 40-character cut of names. */
    @Test
    void shownValuesAreCutJustAfterTheirLimit() {
        String sixty = "x".repeat(60);
        assertThat(ConfigurationRefusedException.shown(sixty)).isEqualTo(sixty);
        assertThat(ConfigurationRefusedException.shown(sixty + "y")).isEqualTo(sixty + "...");
        assertThatThrownBy(() -> ServiceNames.validate(null)).hasMessageStartingWith("invalid service name null: use ");
        assertThatThrownBy(() -> ServiceNames.validate("-" + "a".repeat(39)))
                .hasMessageStartingWith("invalid service name '-" + "a".repeat(39) + "': use");
        assertThatThrownBy(() -> ServiceNames.validate("-" + "a".repeat(40)))
                .hasMessageStartingWith("invalid service name '-" + "a".repeat(39) + "...': use");
    }

    @Test
    void obtainedTokensTellTheirSizeAndExpiryAndAProviderRequiresTokensUnlessItSaysOtherwise() throws Exception {
        Instant until = Instant.parse("2026-11-28T12:00:00Z");
        ObtainedTokens tokens = ObtainedTokens.of(new byte[] {1, 2, 3}, until);
        assertThat(tokens.size()).isEqualTo(3);
        assertThat(tokens.validUntil()).contains(until);
        assertThat(ObtainedTokens.withoutExpiry(new byte[0]).validUntil()).isEmpty();

        DelegationTokenProvider provider = new DelegationTokenProvider() {
            @Override
            public String serviceName() {
                return "x";
            }

            @Override
            public ObtainedTokens obtainDelegationTokens() {
                return tokens;
            }
        };
        assertThat(provider.delegationTokensRequired()).isTrue();
    }

    @Test
    void aStatusViewFindsAServiceByItsName() {
        ServiceStatus hdfs = new ServiceStatus("hdfs", "p", ServiceStatus.State.VALID, true, Optional.empty(),
                Optional.empty(), Optional.empty(), 0, Optional.empty(), Optional.empty(), 0);
        ServiceStatus s3 = new ServiceStatus("s3", "p", ServiceStatus.State.PENDING, true, Optional.empty(),
                Optional.empty(), Optional.empty(), 0, Optional.empty(), Optional.empty(), 0);
        TokenStatusView view = new TokenStatusView() {
            @Override
            public long containerVersion() {
                return 1;
            }

            @Override
            public List<ServiceStatus> services() {
                return List.of(hdfs, s3);
            }

            @Override
            public List<ReceiverStatus> receivers() {
                return List.of();
            }
        };
        assertThat(view.service("s3")).containsSame(s3);
        assertThat(view.service("hdfs")).containsSame(hdfs);
        assertThat(view.service("kafka")).isEmpty();
    }

    @interface Timeout {
        String timeout() default "30s";
    }

    /** A component driven as SCR would, against a bundle context that records registrations. */
    private static final class TimeoutComponent extends ConfiguredComponent<Duration> {
        final List<String> events;

        TimeoutComponent(List<String> events) {
            super(new Configured<>("io.tokenhost.test", Timeout.class, v -> v.duration("timeout"), events::add,
                    events::add).alsoAccepting(key -> key.startsWith("extra.")));
            this.events = events;
        }

        @Override
        protected AutoCloseable start(Duration timeout) {
            Dictionary<String, Object> properties = new Hashtable<>(Map.of("timeout", Durations.format(timeout)));
            AutoCloseable registered = register(Runnable.class, (Runnable) () -> { }, properties);
            events.add("start " + Durations.format(timeout) + " in " + (context() != null));
            return () -> {
                registered.close();
                events.add("stop " + Durations.format(timeout));
            };
        }
    }

    /**
     * Kills the removal of each lifecycle call in {@code ConfiguredComponent} ({@code apply} in
     * activate and modified, {@code stop} in deactivate, {@code reportTo}/{@code stopReportingTo},
     * the registration's {@code unregister}) and null returns of its accessors.
     */
    @Test
    void aConfiguredComponentAppliesReportsRegistersAndStopsAsScrDrivesIt() throws Exception {
        List<String> events = new ArrayList<>();
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        events.add("register " + args[0] + " " + args[2]);
                        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                                (p, m, a) -> {
                                    if (m.getName().equals("unregister")) {
                                        events.add("unregister");
                                    }
                                    return null;
                                });
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        List<String> reported = new ArrayList<>();
        ConfigurationProblems problems = new ConfigurationProblems() {
            @Override
            public void refused(String pid, String problem, boolean previousKept) {
                reported.add("refused " + pid + " kept=" + previousKept);
            }

            @Override
            public void accepted(String pid) {
                reported.add("accepted " + pid);
            }
        };
        TimeoutComponent component = new TimeoutComponent(events);

        component.bindProblems(problems);
        component.activate(context, Map.of("timeout", "1m", "extra.key", "x"));
        component.modified(Map.of("timeout", "never"));
        component.modified(Map.of("timeout", "2m"));
        component.unbindProblems(problems);
        component.modified(Map.of("timeout", "never again"));
        component.deactivate();

        assertThat(reported).containsExactly("accepted io.tokenhost.test", "refused io.tokenhost.test kept=true",
                "accepted io.tokenhost.test");
        assertThat(events).containsExactly("register java.lang.Runnable {timeout=1m}", "start 1m in true",
                "Configuration io.tokenhost.test refused: timeout: must be a duration such as 500ms, 30s, 5m, 1h, 2d or"
                        + " PT30S, got 'never'; the previous settings stay in force",
                "unregister", "stop 1m", "register java.lang.Runnable {timeout=2m}", "start 2m in true",
                "Configuration io.tokenhost.test refused: timeout: must be a duration such as 500ms, 30s, 5m, 1h, 2d or"
                        + " PT30S, got 'never again'; the previous settings stay in force",
                "unregister", "stop 2m");
        assertThat(component.configured().current()).contains(Duration.ofMinutes(2));
        assertThat(component.configured().warnings()).as("extra.* accepted through alsoAccepting").isEmpty();
    }
}
