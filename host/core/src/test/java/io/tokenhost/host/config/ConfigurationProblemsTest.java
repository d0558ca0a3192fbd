package io.tokenhost.host.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.ConfigurationProblems;
import io.tokenhost.host.config.ConfigurationProblemBoard.Problem;
import org.junit.jupiter.api.Test;

/** Each bundle reports through its own view; the board lists them all and forgets a stopped bundle's. */
class ConfigurationProblemsTest {

    private final ConfigurationProblemBoard board = new ConfigurationProblemBoard();
    private final ConfigurationProblems hadoop = new BundleConfigurationProblems(board, 12, "io.tokenhost.hadoop [12]");
    private final ConfigurationProblems s3 = new BundleConfigurationProblems(board, 9, "io.tokenhost.s3 [9]");

    @Test
    void everyBundleProblemIsListedWithItsBundleAndPid() {
        hadoop.refused("io.tokenhost.hadoop", "keytab: must be set", false);
        s3.refused("io.tokenhost.s3~backup", "duration: must be a duration such as 500ms, 30s, 5m, 1h, 2d or PT30S, got 'x'", true);
        s3.refused("io.tokenhost.s3~main", "region: must be set", true);

        assertThat(board.problems()).containsExactly(
                new Problem("io.tokenhost.s3 [9]", "io.tokenhost.s3~backup",
                        "duration: must be a duration such as 500ms, 30s, 5m, 1h, 2d or PT30S, got 'x'", true),
                new Problem("io.tokenhost.s3 [9]", "io.tokenhost.s3~main", "region: must be set", true),
                new Problem("io.tokenhost.hadoop [12]", "io.tokenhost.hadoop", "keytab: must be set", false));
    }

    @Test
    void aNewReportReplacesTheOldAndAnAcceptedConfigurationClearsIt() {
        s3.refused("io.tokenhost.s3~main", "region: must be set", false);
        s3.refused("io.tokenhost.s3~main", "role.arn: must be set", true);
        assertThat(board.problems()).extracting(Problem::reason).containsExactly("role.arn: must be set");

        s3.accepted("io.tokenhost.s3~main");
        assertThat(board.problems()).isEmpty();
    }

    @Test
    void aBundleCannotClearAnotherBundlesProblem() {
        hadoop.refused("io.tokenhost.shared", "enabled: must be true or false, got 'yes'", true);
        s3.accepted("io.tokenhost.shared");
        assertThat(board.problems()).extracting(Problem::bundle).containsExactly("io.tokenhost.hadoop [12]");
    }

    @Test
    void aStoppedBundlesProblemsDisappear() {
        hadoop.refused("io.tokenhost.hadoop", "keytab: must be set", false);
        s3.refused("io.tokenhost.s3~main", "region: must be set", true);

        board.forget(12);

        assertThat(board.problems()).extracting(Problem::bundle).containsExactly("io.tokenhost.s3 [9]");
    }
}
