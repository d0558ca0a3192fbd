package io.tokenhost.hbase.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.hbase.testing.ComponentInFramework;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The provider component in a real framework: what it registers for accepted and refused configurations. */
class HBaseProviderComponentTest extends ComponentInFramework<HBaseProviderComponent> {

    HBaseProviderComponentTest() {
        super(new HBaseProviderComponent());
    }

    @Test
    void aConfigurationNeverAcceptedStartsNoProviderUntilItIsFixed() throws Exception {
        component.activate(framework.context(), Map.of("security.kerberos.login.use-ticket-cache", "maybe"));
        assertThat(framework.serviceIds(DelegationTokenProvider.class)).isEmpty();
        assertThat(problems.reports).containsExactly("refused io.tokenhost.hbase: "
                + "security.kerberos.login.use-ticket-cache: must be true or false, got 'maybe' (not started)");

        component.modified(Map.of());
        assertThat(framework.serviceIds(DelegationTokenProvider.class)).hasSize(1);
        assertThat(framework.service(DelegationTokenProvider.class).serviceName()).isEqualTo("hbase");
        assertThat(framework.service(DelegationTokenProvider.class).delegationTokensRequired()).isFalse();
        assertThat(problems.reports).last().isEqualTo("accepted io.tokenhost.hbase");
    }

    @Test
    void aBadModificationKeepsTheRunningProviderAndAGoodOneReplacesIt() throws Exception {
        component.activate(framework.context(), Map.of("proxy-user", "alice"));
        List<Long> first = framework.serviceIds(DelegationTokenProvider.class);
        assertThat(first).hasSize(1);

        component.modified(Map.of("proxy-user", "two words"));
        assertThat(framework.serviceIds(DelegationTokenProvider.class)).as("previous provider in force").isEqualTo(first);
        assertThat(problems.reports).last().asString().startsWith("refused io.tokenhost.hbase: proxy-user: must ")
                .endsWith("(previous kept)");

        component.modified(Map.of("proxy-user", "bob", "hbase.zookeeper.quorum", "zk1"));
        List<Long> second = framework.serviceIds(DelegationTokenProvider.class);
        assertThat(second).as("replaced as a whole").hasSize(1).doesNotContainAnyElementsOf(first);

        component.deactivate();
        assertThat(framework.serviceIds(DelegationTokenProvider.class)).isEmpty();
    }

    /** Nothing listens on the quorum's port: the obtain fails, naming the quorum, within the bundle's short client timeouts. */
    @Test
    void anUnreachableQuorumFailsTheObtainNamingIt() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        component.activate(framework.context(), Map.of("hbase.zookeeper.quorum", "127.0.0.1",
                "hbase.zookeeper.property.clientPort", Integer.toString(port), "zookeeper.session.timeout", "2000"));
        DelegationTokenProvider provider = framework.service(DelegationTokenProvider.class);
        long started = System.nanoTime();
        assertThatThrownBy(provider::obtainDelegationTokens)
                .hasMessageStartingWith("obtaining an HBase token from the HBase cluster at ZooKeeper 127.0.0.1 (client port "
                        + port + ", znode parent /hbase) failed: ");
        assertThat((System.nanoTime() - started) / 1_000_000_000).as("seconds to fail").isLessThan(30);
    }
}
