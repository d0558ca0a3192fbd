package io.tokenhost.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfiguredTest {

    @interface Config {
        String timeout() default "30s";
    }

    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> reported = new ArrayList<>();
    private final Configured<Duration> configured = new Configured<>("io.tokenhost.test", Config.class,
            values -> values.duration("timeout"), errors::add, warnings::add);

    private final ConfigurationProblems problems = new ConfigurationProblems() {
        @Override
        public void refused(String pid, String problem, boolean previousKept) {
            reported.add("refused " + pid + " " + problem + " kept=" + previousKept);
        }

        @Override
        public void accepted(String pid) {
            reported.add("accepted " + pid);
        }
    };

    @Test
    void aRefusalAtActivationMeansNotStarted() {
        configured.reportTo(problems);
        assertThat(configured.apply(Map.of("timeout", "x"))).isEmpty();
        assertThat(errors).singleElement().asString()
                .startsWith("Configuration io.tokenhost.test refused: timeout: must be")
                .endsWith("; the component is not started");
        assertThat(reported).singleElement().asString().startsWith("refused io.tokenhost.test timeout:").endsWith("kept=false");
        assertThat(configured.current()).isEmpty();
    }

    @Test
    void aRefusalLaterKeepsThePreviousSettingsAndIsReportedUntilFixed() {
        configured.reportTo(problems);
        assertThat(configured.apply(Map.of())).contains(Duration.ofSeconds(30));
        assertThat(configured.apply(Map.of("timeout", "-5s"))).isEmpty();
        assertThat(configured.current()).contains(Duration.ofSeconds(30));
        assertThat(configured.problem()).hasValueSatisfying(p -> assertThat(p).startsWith("timeout: must be"));
        assertThat(errors).singleElement().asString().endsWith("; the previous settings stay in force");
        assertThat(configured.apply(Map.of("timeout", "1m"))).contains(Duration.ofMinutes(1));
        assertThat(configured.problem()).isEmpty();
        assertThat(reported).hasSize(3).last().isEqualTo("accepted io.tokenhost.test");
    }

    @Test
    void aProblemIsReportedToAServiceThatArrivesLater() {
        configured.apply(Map.of());
        configured.apply(Map.of("timeout", "never"));
        configured.reportTo(problems);
        assertThat(reported).singleElement().asString().startsWith("refused io.tokenhost.test timeout:").endsWith("kept=true");
    }

    @Test
    void aServiceThatLeavesAfterItsReplacementArrivedDoesNotStopTheReports() {
        List<String> replacementGot = new ArrayList<>();
        ConfigurationProblems replacement = new ConfigurationProblems() {
            @Override
            public void refused(String pid, String problem, boolean previousKept) {
                replacementGot.add("refused " + pid);
            }

            @Override
            public void accepted(String pid) {
                replacementGot.add("accepted " + pid);
            }
        };
        configured.reportTo(problems);
        configured.reportTo(replacement);
        configured.stopReportingTo(problems);
        configured.apply(Map.of());
        assertThat(replacementGot).containsExactly("accepted io.tokenhost.test");
        configured.stopReportingTo(replacement);
        configured.apply(Map.of("timeout", "never"));
        assertThat(replacementGot).hasSize(1);
        assertThat(reported).isEmpty();
    }

    @Test
    void unknownKeysAreWarnedAboutAndFactoryConfigurationsNamed() {
        configured.apply(Map.of("timeuot", "5s", "service.pid", "io.tokenhost.test~blue"));
        assertThat(configured.label()).isEqualTo("io.tokenhost.test~blue");
        assertThat(configured.warnings()).singleElement().asString().contains("unknown key 'timeuot'", "known keys: timeout");
        assertThat(warnings).singleElement().asString().startsWith("Configuration io.tokenhost.test~blue: unknown key");
    }
}
