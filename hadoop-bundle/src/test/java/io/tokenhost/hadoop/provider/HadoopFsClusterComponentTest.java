package io.tokenhost.hadoop.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.hadoop.support.testing.ComponentInFramework;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-cluster provider component in a real framework: its service is named after the factory configuration. */
class HadoopFsClusterComponentTest extends ComponentInFramework<HadoopFsClusterComponent> {

    HadoopFsClusterComponentTest() {
        super(new HadoopFsClusterComponent());
    }

    @Test
    void theServiceIsHadoopfsDotTheConfigurationName() throws Exception {
        component.activate(framework.context(), Map.of("service.pid", "io.tokenhost.hadoop.cluster~b",
                "filesystems", "hdfs://nn-b:8020"));
        assertThat(framework.serviceIds(DelegationTokenProvider.class)).hasSize(1);
        assertThat(framework.service(DelegationTokenProvider.class).serviceName()).isEqualTo("hadoopfs.b");
        assertThat(problems.reports).containsExactly("accepted io.tokenhost.hadoop.cluster~b");
    }

    @Test
    void aFileInstallNameWorksAndAKeyIsRefusedNamingIt() throws Exception {
        component.activate(framework.context(), Map.of("felix.fileinstall.filename",
                "file:/opt/tokenhost/conf/io.tokenhost.hadoop.cluster-analytics.cfg", "renewer", "two words"));
        assertThat(framework.serviceIds(DelegationTokenProvider.class)).isEmpty();
        assertThat(problems.reports).last().asString()
                .startsWith("refused io.tokenhost.hadoop.cluster~analytics: renewer: must ");

        component.modified(Map.of("felix.fileinstall.filename",
                "file:/opt/tokenhost/conf/io.tokenhost.hadoop.cluster-analytics.cfg"));
        assertThat(framework.service(DelegationTokenProvider.class).serviceName()).isEqualTo("hadoopfs.analytics");
    }

    @Test
    void aNameThatMakesNoServiceNameIsRefused() throws Exception {
        component.activate(framework.context(), Map.of("service.pid", "io.tokenhost.hadoop.cluster~a b"));
        assertThat(framework.serviceIds(DelegationTokenProvider.class)).isEmpty();
        assertThat(problems.reports).last().asString().startsWith("refused io.tokenhost.hadoop.cluster~a b: service.pid: "
                + "the name after io.tokenhost.hadoop.cluster- must make a service name hadoopfs.<name>");
    }
}
