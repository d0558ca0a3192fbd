package io.tokenhost.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The HA chaos soak's short run ({@code -Dchaos.ha.it.minutes} for another length; {@code
 * tools/chaos/run-ha} is the long one): two managers on a ZooKeeper server process, four workers,
 * the leader killed, ZooKeeper restarted and the leader cut from ZooKeeper once each. Passes when no
 * worker ever held an expired token or none, no obtains of the two managers overlapped, and every
 * worker took a token from the new leader after each leader fault. See docs/ha.md.
 */
class HaChaosSoakIT {

    @Test
    void everyWorkerHoldsValidTokensWhileTheLeaderIsKilledZooKeeperRestartsAndTheLeaderIsCutOff() throws Exception {
        SoakOptions base = SoakOptions.fromSystemProperties(2);
        double minutes = Double.parseDouble(System.getProperty("chaos.ha.minutes", "1.5"));
        SoakOptions options = HaChaosSoak.options(new SoakOptions(Duration.ofMillis((long) (minutes * 60_000)),
                base.seed(), base.dir().resolveSibling("chaos-ha-it"), base.tarball(), base.providerJar(), base.workers(),
                base.hostJvmOptions(), base.tokenLifetime(), base.obtainTimeout(), base.renewalRatio(), base.failureRatio(),
                base.hangRatio(), base.hangDuration(), base.reconnectBackoffMax()));

        boolean passed = HaChaosSoak.run(options, System.out);

        String report = Files.readString(options.dir().resolve("report-ha.txt"));
        assertThat(report).contains("killed (SIGKILL)", "ZooKeeper killed", "cut from ZooKeeper")
                .contains("Failover (leader kills and the partition, 2)")
                .contains("overlapping obtains between the two managers: 0")
                .contains("expired-token samples: 0; samples without a token: 0");
        assertThat(passed).as("the report's verdict (printed above)").isTrue();
    }
}
