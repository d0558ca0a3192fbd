package io.tokenhost.itests.osgi;

import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.api.TokenFingerprint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A receiver the test registers itself: records every delivery and withdrawal. Tests compare
 * fingerprints or, for fixtures whose tokens are public text, the text; never print the bytes.
 */
public final class CapturingReceiver implements DelegationTokenReceiver {

    private final String serviceName;
    private final List<byte[]> deliveries = new ArrayList<>();
    private final AtomicInteger withdrawals = new AtomicInteger();
    private ServiceRegistration<DelegationTokenReceiver> registration;

    private CapturingReceiver(String serviceName) {
        this.serviceName = serviceName;
    }

    public static CapturingReceiver register(BundleContext context, String serviceName) {
        CapturingReceiver receiver = new CapturingReceiver(serviceName);
        receiver.registration = context.registerService(DelegationTokenReceiver.class, receiver, null);
        return receiver;
    }

    public void unregister() {
        registration.unregister();
    }

    @Override
    public String serviceName() {
        return serviceName;
    }

    @Override
    public synchronized void onNewTokensObtained(byte[] tokens) {
        deliveries.add(tokens.clone());
    }

    @Override
    public void onTokensWithdrawn() {
        withdrawals.incrementAndGet();
    }

    public synchronized int deliveryCount() {
        return deliveries.size();
    }

    public synchronized Optional<byte[]> latest() {
        return deliveries.isEmpty() ? Optional.empty() : Optional.of(deliveries.get(deliveries.size() - 1).clone());
    }

    public int withdrawals() {
        return withdrawals.get();
    }

    /** Waits for a delivery and returns its tokens. */
    public byte[] awaitTokens() throws InterruptedException {
        return HostTestBase.AWAIT.value("tokens of '" + serviceName + "' to reach the receiver", this::latest);
    }

    /** Waits for a delivery whose fingerprint differs from the given one, and returns its tokens. */
    public byte[] awaitTokensOtherThan(String fingerprint) throws InterruptedException {
        return HostTestBase.AWAIT.value("new tokens of '" + serviceName + "' (not " + fingerprint + ")",
                () -> latest().filter(t -> !TokenFingerprint.of(t).equals(fingerprint)));
    }

    public void awaitWithdrawal() throws InterruptedException {
        HostTestBase.AWAIT.until("tokens of '" + serviceName + "' to be withdrawn", () -> withdrawals() > 0);
    }
}
