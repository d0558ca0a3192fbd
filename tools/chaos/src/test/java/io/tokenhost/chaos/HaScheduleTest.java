package io.tokenhost.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.chaos.HaSchedule.Kind;
import io.tokenhost.chaos.HaSchedule.Step;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HaScheduleTest {

    @Test
    void aTwoMinuteRunHasEachFaultOnceEndingTwentySecondsBeforeTheEnd() {
        List<Step> plan = HaSchedule.plan(Duration.ofMinutes(2));

        assertThat(plan).extracting(Step::kind).containsExactly(Kind.LEADER_KILL, Kind.ZOOKEEPER_RESTART, Kind.LEADER_CUT);
        assertThat(plan).allSatisfy(s -> assertThat(s.offsetMs() + s.lengthMs()).isLessThanOrEqualTo(100_000));
    }

    @Test
    void aRunTooShortForTheCutLeavesItOut() {
        assertThat(HaSchedule.plan(Duration.ofSeconds(100))).extracting(Step::kind)
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
