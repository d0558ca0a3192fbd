package io.tokenhost.itests.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.TokenFingerprint;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/** Broken plugins next to a good one: the host keeps serving the good one. */
public class BadPluginsIT extends HostTestBase {

    @Test
    public void theHostKeepsServingNextToFailingHangingAndUnresolvablePlugins() throws Exception {
        CapturingReceiver receiver = CapturingReceiver.register(context, "example");

        Bundle failing = Fixtures.installAndStart(context, "failing");
        Fixtures.installAndStart(context, "slow");
        Bundle unresolvable = Fixtures.install(context, "unresolvable");
        assertThatThrownBy(unresolvable::start).isInstanceOf(BundleException.class);
        assertThat(failing.getState()).as("a failing component does not fail its bundle").isEqualTo(Bundle.ACTIVE);

        Fixtures.installAndStart(context, "example-provider");

        String delivered = TokenFingerprint.of(receiver.awaitTokens());
        ServiceStatus example = AWAIT.value("'example' to be VALID", () -> status.service("example")
                .filter(s -> s.state() == ServiceStatus.State.VALID));
        assertThat(example.fingerprint()).contains(delivered);
        assertThat(status.service("unresolvable")).as("an unresolved bundle registers nothing").isEmpty();
    }

    @Test
    public void jarsThatAreNotBundlesDoNotDisturbTheHost() throws Exception {
        CapturingReceiver receiver = CapturingReceiver.register(context, "example");

        assertThatThrownBy(() -> Fixtures.install(context, "corrupt")).isInstanceOf(BundleException.class);
        Fixtures.install(context, "not-a-bundle").start();
        Fixtures.installAndStart(context, "example-provider");

        assertThat(receiver.awaitTokens()).hasSize(32);
    }
}
