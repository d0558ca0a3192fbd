package io.tokenhost.bench;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.api.ObtainedTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code bench:fanout N ROUNDS}: registers N receivers of service {@code bench}, then per round runs
 * {@code token:obtain bench} through the host's own shell and times until every receiver holds the
 * new tokens. The provider is this component too, so it knows when the obtain returned.
 */
@Component(service = {FanoutBench.class, DelegationTokenProvider.class}, property = {
    "osgi.command.scope=bench", "osgi.command.function=fanout"})
public final class FanoutBench implements DelegationTokenProvider {

    private static final String SERVICE = "bench";

    private final BundleContext context;
    private final AtomicLong round = new AtomicLong();
    private volatile long obtainedAtNanos;

    @Activate
    public FanoutBench(BundleContext context) {
        this.context = context;
    }

    @Override
    public String serviceName() {
        return SERVICE;
    }

    @Override
    public ObtainedTokens obtainDelegationTokens() {
        byte[] tokens = Long.toString(round.get()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        obtainedAtNanos = System.nanoTime();
        return ObtainedTokens.of(tokens, Instant.now().plus(Duration.ofHours(1)));
    }

    @Descriptor("times token:obtain bench until N receivers hold the new tokens, over several rounds")
    public String fanout(CommandSession session, int receivers, int rounds) throws Exception {
        List<ServiceRegistration<DelegationTokenReceiver>> registrations = new ArrayList<>();
        Counting[] all = new Counting[receivers];
        try {
            for (int i = 0; i < receivers; i++) {
                all[i] = new Counting();
                registrations.add(context.registerService(DelegationTokenReceiver.class, all[i], new Hashtable<>()));
            }
            StringBuilder out = new StringBuilder();
            double[] fromCommand = new double[rounds];
            double[] fromObtain = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                String expected = Long.toString(round.incrementAndGet());
                CountDownLatch done = new CountDownLatch(receivers);
                for (Counting receiver : all) {
                    receiver.arm(expected, done);
                }
                long start = System.nanoTime();
                session.execute("token:obtain " + SERVICE);
                if (!done.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(done.getCount() + " of " + receivers + " receivers got nothing in 30 s");
                }
                long last = Arrays.stream(all).mapToLong(c -> c.arrivedAtNanos).max().orElseThrow();
                fromCommand[r] = (last - start) / 1e6;
                fromObtain[r] = (last - obtainedAtNanos) / 1e6;
                out.append(String.format("round %d: token:obtain -> all %d receivers %.2f ms; tokens obtained -> all %.2f ms%n",
                        r + 1, receivers, fromCommand[r], fromObtain[r]));
            }
            Arrays.sort(fromCommand);
            Arrays.sort(fromObtain);
            out.append(String.format("fanout %d receivers, %d rounds: token:obtain -> all: median %.2f ms, max %.2f ms;"
                    + " obtained -> all: median %.2f ms, max %.2f ms%n", receivers, rounds,
                    fromCommand[rounds / 2], fromCommand[rounds - 1], fromObtain[rounds / 2], fromObtain[rounds - 1]));
            return out.toString();
        } finally {
            registrations.forEach(ServiceRegistration::unregister);
        }
    }

    /** Notes when it first sees the expected tokens. */
    private static final class Counting implements DelegationTokenReceiver {
        private volatile String expected;
        private volatile CountDownLatch done;
        volatile long arrivedAtNanos;

        void arm(String tokens, CountDownLatch latch) {
            expected = tokens;
            done = latch;
        }

        @Override
        public String serviceName() {
            return SERVICE;
        }

        @Override
        public void onNewTokensObtained(byte[] tokens) {
            if (new String(tokens, java.nio.charset.StandardCharsets.UTF_8).equals(expected)) {
                arrivedAtNanos = System.nanoTime();
                expected = null;
                done.countDown();
            }
        }
    }
}
