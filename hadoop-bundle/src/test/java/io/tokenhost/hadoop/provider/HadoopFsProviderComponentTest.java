package io.tokenhost.hadoop.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.hadoop.support.testing.ComponentInFramework;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The provider component in a real framework: what it registers for accepted and refused configurations. */
class HadoopFsProviderComponentTest extends ComponentInFramework<HadoopFsProviderComponent> {

    HadoopFsProviderComponentTest() {
        super(new HadoopFsProviderComponent());
    }

    @Test
    void aConfigurationNeverAcceptedStartsNoProviderUntilItIsFixed() throws Exception {
        component.activate(framework.context(), Map.of("security.kerberos.login.use-ticket-cache", "maybe"));
        assertThat(framework.serviceIds(DelegationTokenProvider.class)).isEmpty();
        assertThat(problems.reports).containsExactly("refused io.tokenhost.hadoop: "
                + "security.kerberos.login.use-ticket-cache: must be true or false, got 'maybe' (not started)");

        component.modified(Map.of());
        assertThat(framework.serviceIds(DelegationTokenProvider.class)).hasSize(1);
        assertThat(framework.service(DelegationTokenProvider.class).serviceName()).isEqualTo("hadoopfs");
        assertThat(problems.reports).last().isEqualTo("accepted io.tokenhost.hadoop");
    }

    @Test
    void aBadModificationKeepsTheRunningProviderAndAGoodOneReplacesIt() throws Exception {
        component.activate(framework.context(), Map.of("renewer", "alice"));
        List<Long> first = framework.serviceIds(DelegationTokenProvider.class);
        assertThat(first).hasSize(1);

        component.modified(Map.of("renewer", "two words"));
        assertThat(framework.serviceIds(DelegationTokenProvider.class)).as("previous provider in force").isEqualTo(first);
        assertThat(problems.reports).last().asString().startsWith("refused io.tokenhost.hadoop: renewer: must ")
                .endsWith("(previous kept)");

        component.modified(Map.of("renewer", "bob", "hadoop.fs.defaultFS", "file:///"));
        List<Long> second = framework.serviceIds(DelegationTokenProvider.class);
        assertThat(second).as("replaced as a whole, so the host obtains with the new settings").hasSize(1)
                .doesNotContainAnyElementsOf(first);

        component.deactivate();
        assertThat(framework.serviceIds(DelegationTokenProvider.class)).isEmpty();
    }
}
