package io.tokenhost.host.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.host.config.BundleConfigurationProblems;
import io.tokenhost.host.config.ConfigurationProblemBoard;
import io.tokenhost.host.config.ConfigurationProblemBoard.Problem;
import io.tokenhost.host.core.ManagerSettings;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The component's one reaction to its configuration, reported to the host's problem board. */
class TokenManagerComponentTest {

    private static final String HOST = "io.tokenhost.host [5]";

    private final ConfigurationProblemBoard board = new ConfigurationProblemBoard();
    private TokenManagerComponent component;

    @AfterEach
    void stop() {
        if (component != null) {
            component.deactivate();
        }
    }

    @Test
    void aRefusedChangeKeepsThePreviousSettingsAndIsReportedUntilFixed() {
        component = start(Map.of("renewal.time-ratio", "0.5", "provider.s3.enabled", "false"));
        ManagerSettings before = component.settings();

        component.modified(Map.of("renewal.time-ratio", "2"));

        assertThat(component.settings()).isEqualTo(before);
        assertThat(component.configurationInForce()).hasValueSatisfying(inForce -> assertThat(inForce)
                .containsEntry("renewal.time-ratio", "0.5").containsEntry("provider.s3.enabled", "false"));
        String problem = "renewal.time-ratio: must be a number strictly between 0 and 1, got '2'";
        assertThat(component.configurationProblem()).contains(problem);
        assertThat(board.problems()).containsExactly(new Problem(HOST, "io.tokenhost.manager", problem, true));

        component.modified(Map.of("renewal.time-ratio", "0.8"));

        assertThat(component.settings().renewal().timeRatio()).isEqualTo(0.8);
        assertThat(component.settings().isEnabled("s3")).isTrue();
        assertThat(component.configurationProblem()).isEmpty();
        assertThat(board.problems()).isEmpty();
    }

    @Test
    void aConfigurationRefusedAtTheStartLeavesTheManagerIdleUntilOneIsAccepted() {
        component = start(Map.of("obtain.timeout", "soon"));

        assertThat(component.configurationInForce()).isEmpty();
        assertThat(component.settings().isEnabled("s3")).isFalse();
        assertThat(component.obtainAllNow()).isEmpty();
        assertThat(board.problems()).containsExactly(new Problem(HOST, "io.tokenhost.manager",
                "obtain.timeout: must be a duration such as 500ms, 30s, 5m, 1h, 2d or PT30S, got 'soon'", false));

        component.modified(Map.of("obtain.timeout", "5s"));

        assertThat(component.configurationInForce()).isPresent();
        assertThat(component.settings().isEnabled("s3")).isTrue();
        assertThat(board.problems()).isEmpty();
    }

    @Test
    void unknownKeysAreWarnedAboutAndIgnored() {
        component = start(Map.of("obtain.timout", "5s"));
        assertThat(component.settings()).isEqualTo(ManagerSettings.DEFAULTS);
        assertThat(component.configurationWarnings()).singleElement().asString()
                .startsWith("unknown key 'obtain.timout' is ignored; known keys: ");
    }

    private TokenManagerComponent start(Map<String, Object> properties) {
        return new TokenManagerComponent(properties, new BundleConfigurationProblems(board, 5, HOST));
    }
}
