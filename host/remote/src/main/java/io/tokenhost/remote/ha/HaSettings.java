package io.tokenhost.remote.ha;

import java.time.Duration;
import java.util.Optional;

/**
 * What the {@code ha.*} keys ask for, checked: where ZooKeeper is, which cluster of managers this
 * one belongs to, and the timeouts that bound a failover.
 *
 * @param quorum the ZooKeeper connect string
 * @param clusterPath the cluster's ZooKeeper path ({@code ha.zookeeper.root}/{@code ha.cluster-id})
 * @param advertisedAddress host:port under which workers reach this manager; empty: derived from
 *     where it listens when it starts
 * @param mismatchGrace how long a standby's providers or access policy may differ from the leader's
 *     before it leaves the election ({@code ha.mismatch-grace})
 */
public record HaSettings(String quorum, String clusterId, String clusterPath, Duration sessionTimeout,
        Duration connectionTimeout, Optional<String> advertisedAddress, Duration mismatchGrace) {
}
