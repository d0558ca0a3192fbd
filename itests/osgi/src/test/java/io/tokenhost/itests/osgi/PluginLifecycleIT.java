package io.tokenhost.itests.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.TokenFingerprint;
import java.util.Optional;
import org.junit.Test;
import org.osgi.framework.Bundle;

/** A provider plugin installed, updated and uninstalled while the host runs. */
public class PluginLifecycleIT extends HostTestBase {

    private static final String SERVICE = "example";

    @Test
    public void tokensOfAProviderInstalledAtRuntimeReachTheReceiver() throws Exception {
        CapturingReceiver receiver = CapturingReceiver.register(context, SERVICE);

        Fixtures.installAndStart(context, "example-provider");

        byte[] tokens = receiver.awaitTokens();
        assertThat(tokens).as("the example provider hands out 32 random bytes").hasSize(32);
        ServiceStatus service = awaitStatusWithFingerprint(TokenFingerprint.of(tokens));
        assertThat(service.state()).isEqualTo(ServiceStatus.State.VALID);
        assertThat(service.tokenBytes()).isEqualTo(32);
    }

    @Test
    public void anUpdatedProviderDeliversNewTokens() throws Exception {
        CapturingReceiver receiver = CapturingReceiver.register(context, SERVICE);
        Bundle provider = Fixtures.installAndStart(context, "example-provider");
        String before = TokenFingerprint.of(receiver.awaitTokens());

        Fixtures.update(provider, "example-provider");

        String after = TokenFingerprint.of(receiver.awaitTokensOtherThan(before));
        assertThat(after).isNotEqualTo(before);
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
        AWAIT.until("the status view to drop '" + SERVICE + "'", () -> status.service(SERVICE).isEmpty());
        assertThat(status.services()).noneMatch(s -> s.serviceName().equals(SERVICE));
        assertThat(status.containerVersion()).as("withdrawing changes the container").isGreaterThan(versionWithTokens);
    }

    @Test
    public void aReceiverRegisteredLaterGetsTheCurrentTokensAtOnce() throws Exception {
        Fixtures.installAndStart(context, "example-provider");
        String current = AWAIT.value("the host to hold tokens of '" + SERVICE + "'",
                () -> status.service(SERVICE).flatMap(ServiceStatus::fingerprint));

        CapturingReceiver late = CapturingReceiver.register(context, SERVICE);

        assertThat(TokenFingerprint.of(late.awaitTokens())).isEqualTo(current);
    }

    private ServiceStatus awaitStatusWithFingerprint(String fingerprint) throws InterruptedException {
        return AWAIT.value("the status view to show '" + SERVICE + "' with tokens " + fingerprint,
                () -> status.service(SERVICE).filter(s -> s.fingerprint().equals(Optional.of(fingerprint))));
    }
}
