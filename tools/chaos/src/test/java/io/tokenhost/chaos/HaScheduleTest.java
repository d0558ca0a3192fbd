package io.tokenhost.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.chaos.HaSchedule.Kind;
import io.tokenhost.chaos.HaSchedule.Step;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HaScheduleTest {

    @Test
    void aNinetySecondRunHasEachFaultOnceEndingTwentySecondsBeforeTheEnd() {
        List<Step> plan = HaSchedule.plan(Duration.ofSeconds(90));

        assertThat(plan).extracting(Step::kind).containsExactly(Kind.LEADER_KILL, Kind.ZOOKEEPER_RESTART, Kind.LEADER_CUT);
        assertThat(plan).allSatisfy(s -> assertThat(s.offsetMs() + s.lengthMs()).isLessThanOrEqualTo(70_000));
        for (int i = 1; i < plan.size(); i++) {
            assertThat(plan.get(i).offsetMs() - plan.get(i - 1).offsetMs() - plan.get(i - 1).lengthMs())
                    .as("quiet before fault %d, longer than a failover", i).isGreaterThanOrEqualTo(15_000);
        }
    }

    @Test
    void aRunTooShortForTheCutLeavesItOut() {
        assertThat(HaSchedule.plan(Duration.ofSeconds(75))).extracting(Step::kind)
                .containsExactly(Kind.LEADER_KILL, Kind.ZOOKEEPER_RESTART);
    }

    @Test
    void aLongRunKillsTheLeaderEveryMinuteAndRestartsZooKeeperAndCutsTheLeaderOnceInOrder() {
        List<Step> plan = HaSchedule.plan(Duration.ofMinutes(6));

        assertThat(plan).extracting(Step::kind).filteredOn(k -> k == Kind.LEADER_KILL).hasSize(5);
        assertThat(plan).extracting(Step::kind).containsOnlyOnce(Kind.ZOOKEEPER_RESTART, Kind.LEADER_CUT);
        assertThat(plan).extracting(Step::offsetMs).isSorted();
        assertThat(plan).allSatisfy(s -> assertThat(s.offsetMs() + s.lengthMs()).isLessThanOrEqualTo(340_000));
    }
}
