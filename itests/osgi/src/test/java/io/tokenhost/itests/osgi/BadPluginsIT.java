package io.tokenhost.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.TokenFingerprint;
import io.tokenhost.api.TokenStatusView;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/** Broken plugins next to a good one: the host keeps serving the good one. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class BadPluginsIT {

    @Inject
    private BundleContext context;

    @Inject
    private TokenStatusView status;

    @Configuration
    public Option[] config() {
        return TokenhostOptions.withHost();
    }

    @Test
    public void theHostKeepsServingNextToFailingHangingAndUnresolvablePlugins() throws Exception {
        CapturingReceiver receiver = CapturingReceiver.register(context, "example");

        Bundle failing = Fixtures.installAndStart(context, "failing");
        Fixtures.installAndStart(context, "slow");
        Bundle unresolvable = Fixtures.install(context, "unresolvable");
        assertThrows(BundleException.class, unresolvable::start);
        assertEquals("a failing component does not fail its bundle", Bundle.ACTIVE, failing.getState());

        Fixtures.installAndStart(context, "example-provider");

        String delivered = TokenFingerprint.of(receiver.awaitTokens());
        ServiceStatus example = Await.value("'example' to be VALID", () -> status.service("example")
                .filter(s -> s.state() == ServiceStatus.State.VALID));
        assertEquals(delivered, example.fingerprint().orElseThrow());
        assertFalse("an unresolved bundle registers nothing", status.service("unresolvable").isPresent());
    }

    @Test
    public void jarsThatAreNotBundlesDoNotDisturbTheHost() throws Exception {
        CapturingReceiver receiver = CapturingReceiver.register(context, "example");

        assertThrows(BundleException.class, () -> Fixtures.install(context, "corrupt"));
        Fixtures.install(context, "not-a-bundle").start();
        Fixtures.installAndStart(context, "example-provider");

        assertEquals(32, receiver.awaitTokens().length);
    }
}
