package io.tokenhost.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.chaos.Analysis.Verdict;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The chaos soak's 2.2-minute run ({@code -Dchaos.it.minutes} for another length): one manager and
 * five workers from the distribution, every fault once, and the report's invariants. See
 * docs/chaos.md.
 */
class ChaosSoakIT {

    @Test
    void everyWorkerHoldsValidTokensThroughEveryFault() throws Exception {
        SoakOptions options = SoakOptions.fromSystemProperties(2.2);
        Report report = ChaosSoak.run(options, System.out);

        assertThat(report.faults()).as("faults applied").hasSize(Schedule.plan(options.run(), options.tokenLifetime()).size());
        assertThat(report.samples()).as("samples").isGreaterThan((int) (options.run().toMillis() / 100 * options.workers() * 9 / 10));
        SoftAssertions invariants = new SoftAssertions();
        invariants.assertThat(report.count(Verdict.EXPIRED)).as("EXPIRED samples: a worker's file held an expired token"
                + " (see the EXPIRED ranges in the report)").isZero();
        invariants.assertThat(report.count(Verdict.ABSENT_UNEXPECTED)).as("unexpected ABSENT samples: no token file"
                + " outside every expected window (see the ranges in the report)").isZero();
        invariants.assertThat(report.count(Verdict.UNREADABLE)).as("UNREADABLE samples").isZero();
        invariants.assertThat(report.secretFindings()).as("token bytes in logs").isEmpty();
        invariants.assertAll();
    }
}
