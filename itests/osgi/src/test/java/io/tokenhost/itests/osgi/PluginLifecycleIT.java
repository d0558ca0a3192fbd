package io.tokenhost.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;

import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.TokenFingerprint;
import io.tokenhost.api.TokenStatusView;
import java.util.Optional;
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

/** A provider plugin installed, updated and uninstalled while the host runs. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class PluginLifecycleIT {

    private static final String SERVICE = "example";

    @Inject
    private BundleContext context;

    @Inject
    private TokenStatusView status;

    @Configuration
    public Option[] config() {
        return TokenhostOptions.withHost();
    }

    @Test
    public void tokensOfAProviderInstalledAtRuntimeReachTheReceiver() throws Exception {
        CapturingReceiver receiver = CapturingReceiver.register(context, SERVICE);

        Fixtures.installAndStart(context, "example-provider");

        byte[] tokens = receiver.awaitTokens();
        assertEquals("the example provider hands out 32 random bytes", 32, tokens.length);
        ServiceStatus service = awaitStatusWithFingerprint(TokenFingerprint.of(tokens));
        assertEquals(ServiceStatus.State.VALID, service.state());
        assertEquals(32, service.tokenBytes());
    }

    @Test
    public void anUpdatedProviderDeliversNewTokens() throws Exception {
        CapturingReceiver receiver = CapturingReceiver.register(context, SERVICE);
        Bundle provider = Fixtures.installAndStart(context, "example-provider");
        String before = TokenFingerprint.of(receiver.awaitTokens());

        Fixtures.update(provider, "example-provider");

        String after = TokenFingerprint.of(receiver.awaitTokensOtherThan(before));
        assertNotEquals(before, after);
        awaitStatusWithFingerprint(after);
    }

    @Test
    public void anUninstalledProviderHasItsTokensWithdrawn() throws Exception {
        CapturingReceiver receiver = CapturingReceiver.register(context, SERVICE);
        Bundle provider = Fixtures.installAndStart(context, "example-provider");
        receiver.awaitTokens();
        long versionWithTokens = status.containerVersion();

        provider.uninstall();

        receiver.awaitWithdrawal();
        Await.until("the status view to drop '" + SERVICE + "'", () -> status.service(SERVICE).isEmpty());
        assertFalse(status.services().stream().anyMatch(s -> s.serviceName().equals(SERVICE)));
        assertFalse("withdrawing changes the container", status.containerVersion() <= versionWithTokens);
    }

    @Test
    public void aReceiverRegisteredLaterGetsTheCurrentTokensAtOnce() throws Exception {
        Fixtures.installAndStart(context, "example-provider");
        String current = Await.value("the host to hold tokens of '" + SERVICE + "'",
                () -> status.service(SERVICE).flatMap(ServiceStatus::fingerprint));

        CapturingReceiver late = CapturingReceiver.register(context, SERVICE);

        assertEquals(current, TokenFingerprint.of(late.awaitTokens()));
    }

    private ServiceStatus awaitStatusWithFingerprint(String fingerprint) throws InterruptedException {
        return Await.value("the status view to show '" + SERVICE + "' with tokens " + fingerprint,
                () -> status.service(SERVICE).filter(s -> s.fingerprint().equals(Optional.of(fingerprint))));
    }
}
