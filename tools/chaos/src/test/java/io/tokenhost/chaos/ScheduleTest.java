package io.tokenhost.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.chaos.Fault.Kind;
import io.tokenhost.chaos.Schedule.Step;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void theTestsRunHasEachFaultOnceAndTimeToRecoverFromTheLast() {
        List<Step> steps = Schedule.plan(Duration.ofMillis(132_000), Duration.ofSeconds(10));
        assertThat(steps).extracting(Step::kind).containsExactly(Kind.PLUGIN_UPDATE, Kind.WORKER_KILL, Kind.WORKER_CUT,
                Kind.MANAGER_KILL, Kind.PROVIDER_OUTAGE);
        assertThat(steps.get(3).lengthMs()).as("the manager stays down longer than a token lives").isEqualTo(12_000);
        Step outage = steps.get(4);
        assertThat(outage.lengthMs()).as("the outage outlasts a token by far").isEqualTo(22_000);
        assertThat(steps.get(2).lengthMs()).as("a cut worker's token runs out during the cut").isGreaterThan(10_000);
        assertThat(132_000 - outage.offsetMs() - outage.lengthMs()).isEqualTo(34_000);
        assertThat(outage.offsetMs() - steps.get(3).offsetMs() - steps.get(3).lengthMs())
                .as("quiet after the manager's restart").isGreaterThanOrEqualTo(18_000);
        for (int i = 1; i < steps.size(); i++) {
            Step before = steps.get(i - 1);
            assertThat(steps.get(i).offsetMs()).isGreaterThanOrEqualTo(before.offsetMs() + before.lengthMs() + 8_000);
        }
    }

    @Test
    void thirtyMinutesRepeatTheFullCycleWithA60SecondOutage() {
        List<Step> steps = Schedule.plan(Duration.ofMinutes(30), Duration.ofSeconds(10));
        assertThat(steps).hasSize(8 * 5);
        assertThat(steps).filteredOn(s -> s.kind() == Kind.PROVIDER_OUTAGE).extracting(Step::lengthMs).containsOnly(60_000L);
        assertThat(steps.get(steps.size() - 1).offsetMs() + 60_000).isLessThanOrEqualTo(1_800_000 - 40_000);
    }

    @Test
    void aShortRunKeepsOnlyTheFaultsThatFit() {
        assertThat(Schedule.plan(Duration.ofSeconds(60), Duration.ofSeconds(10))).extracting(Step::kind)
                .containsExactly(Kind.PLUGIN_UPDATE, Kind.WORKER_KILL, Kind.WORKER_CUT);
    }
}
