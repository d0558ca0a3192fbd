package io.tokenhost.hbase.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.hbase.testing.ComponentInFramework;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-cluster provider component in a real framework: its service is named after the factory configuration. */
class HBaseClusterComponentTest extends ComponentInFramework<HBaseClusterComponent> {

    HBaseClusterComponentTest() {
        super(new HBaseClusterComponent());
    }

    @Test
    void theServiceIsHbaseDotTheConfigurationName() throws Exception {
        component.activate(framework.context(), Map.of("felix.fileinstall.filename",
                "file:/opt/tokenhost/conf/io.tokenhost.hbase.cluster-analytics.cfg", "hbase.zookeeper.quorum", "zk-b"));
        assertThat(framework.serviceIds(DelegationTokenProvider.class)).hasSize(1);
        assertThat(framework.service(DelegationTokenProvider.class).serviceName()).isEqualTo("hbase.analytics");
        assertThat(problems.reports).containsExactly("accepted io.tokenhost.hbase.cluster~analytics");
    }

    @Test
    void aNameThatMakesNoServiceNameIsRefused() throws Exception {
        component.activate(framework.context(), Map.of("service.pid", "io.tokenhost.hbase.cluster~a b"));
        assertThat(framework.serviceIds(DelegationTokenProvider.class)).isEmpty();
        assertThat(problems.reports).last().asString().startsWith("refused io.tokenhost.hbase.cluster~a b: service.pid: "
                + "the name after io.tokenhost.hbase.cluster- must make a service name hbase.<name>");
    }
}
