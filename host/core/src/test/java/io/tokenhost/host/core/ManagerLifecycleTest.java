package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.distribution.TokenContainerListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What stopping, standing by, disabling and removing do to work already queued, and what the log
 * says: each test names the mutants (found by PIT) it kills.
 */
class ManagerLifecycleTest {

    private final DeterministicManager harness = new DeterministicManager();
    private final TokenManager manager = harness.manager;
    private final TestProvider provider = new TestProvider("hdfs", harness.clock);
    /** The core's logger, at DEBUG into a list only (the tests' console shows ERROR only). */
    private final ch.qos.logback.classic.Logger core =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.tokenhost.host.core");
    private final Level coreLevel = core.getLevel();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    {
        logs.start();
        core.addAppender(logs);
        core.setLevel(Level.DEBUG);
        core.setAdditive(false);
    }

    @AfterEach
    void detach() {
        core.detachAppender(logs);
        core.setLevel(coreLevel);
        core.setAdditive(true);
    }

    /** A listener recording the version of every container it is told of. */
    private static final class Versions implements TokenContainerListener {
        final List<Long> seen = new CopyOnWriteArrayList<>();
        final List<TokenContainer> containers = new CopyOnWriteArrayList<>();

        @Override
        public void onContainer(TokenContainer container) {
            seen.add(container.version());
            containers.add(container);
        }
    }

    private List<String> messages(Level level, String start) {
        return logs.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith(start)).toList();
    }

    private static String failureOf(CompletableFuture<ServiceStatus> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.get();
            throw new AssertionError("completed normally");
        } catch (ExecutionException e) {
            return e.getCause().getMessage();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Kills: {@code TokenManager.close} not stopping the slots' timers, not failing waiters, not
     * closing the delivery; {@code TokenDelivery.close} not closing receivers' and listeners'
     * mailboxes; {@code ReceiverHandle.close}/{@code ListenerHandle.close} not closing theirs.
     */
    @Test
    void closingDropsQueuedDeliveriesFailsWaitersAndCallsOffEveryTimer() {
        TestReceiver receiver = new TestReceiver("hdfs");
        Versions listener = new Versions();
        manager.addReceiver(receiver, "r");
        manager.addListener(listener, "l");
        manager.addProvider(provider, "p");
        harness.obtains.runAll(); // obtained; the deliveries are queued, not run
        assertThat(harness.deliveries.pending()).isPositive();
        assertThat(harness.timer.nextAt()).isPresent();
        CompletableFuture<ServiceStatus> waiting = manager.obtainNow("hdfs");

        manager.close();
        harness.settle();

        assertThat(receiver.events).as("nothing delivered after close").isEmpty();
        assertThat(listener.seen).isEmpty();
        assertThat(failureOf(waiting)).isEqualTo("the token manager stopped");
        assertThat(harness.timer.nextAt()).as("no timer left").isEmpty();
    }

    /** Kills: {@code standBy} not stopping the slots' timers or not failing waiters. */
    @Test
    void standingByFailsWaitersAndCallsOffTheTimersButKeepsTheTokens() {
        manager.addProvider(provider, "p");
        harness.settle();
        CompletableFuture<ServiceStatus> waiting = manager.obtainNow("hdfs");

        manager.standBy("m2 leads");
        harness.settle();

        assertThat(failureOf(waiting)).isEqualTo("this manager stands by: m2 leads");
        assertThat(harness.timer.nextAt()).isEmpty();
        assertThat(manager.container().services()).containsExactly("hdfs");
        assertThat(provider.calls).hasValue(1);
    }

    /**
     * Kills: {@code updateSettings} not failing the waiters of a service switched off, {@code
     * stopAndWithdraw} not clearing the slot's tokens (status would still show a fingerprint).
     */
    @Test
    void disablingAServiceFailsItsWaitersAndItsStatusHoldsNoTokens() {
        manager.addProvider(provider, "p");
        harness.settle();
        CompletableFuture<ServiceStatus> waiting = manager.obtainNow("hdfs");

        manager.updateSettings(new ManagerSettings(true, Map.of("hdfs", false), RenewalSettings.DEFAULTS));

        assertThat(failureOf(waiting)).isEqualTo("service 'hdfs' is disabled");
        ServiceStatus status = manager.service("hdfs").orElseThrow();
        assertThat(status.fingerprint()).isEmpty();
        assertThat(status.tokenBytes()).isZero();
        assertThat(status.validUntil()).isEmpty();
    }

    /** Kills: {@code RenewalScheduler.obtain} not calling off the planned next obtain (status shows it meanwhile). */
    @Test
    void anObtainNowReplacesThePlannedNextObtain() {
        manager.addProvider(provider, "p");
        harness.settle();
        assertThat(manager.service("hdfs").orElseThrow().nextObtain()).isPresent();

        manager.obtainNow("hdfs");

        assertThat(manager.service("hdfs").orElseThrow().nextObtain()).as("while it runs").isEmpty();
    }

    /**
     * Kills: {@code TokenDelivery.removeReceiver} not closing the removed receiver's mailbox (its
     * queued delivery still arrives), or dropping the service's other receivers (negated emptiness
     * check); and the same for a removed listener.
     */
    @Test
    void aRemovedReceiverOrListenerGetsNotEvenWhatWasQueuedAndTheOthersStillDo() {
        TestReceiver leaving = new TestReceiver("hdfs");
        TestReceiver staying = new TestReceiver("hdfs");
        Versions leavingListener = new Versions();
        Versions stayingListener = new Versions();
        manager.addReceiver(leaving, "leaving");
        manager.addReceiver(staying, "staying");
        manager.addListener(leavingListener, "leaving");
        manager.addListener(stayingListener, "staying");
        manager.addProvider(provider, "p");
        harness.obtains.runAll();

        manager.removeReceiver(leaving);
        manager.removeListener(leavingListener);
        harness.settle();

        assertThat(leaving.events).isEmpty();
        assertThat(leavingListener.seen).isEmpty();
        assertThat(staying.events).containsExactly("hdfs-1");
        assertThat(stayingListener.seen).containsExactly(1L);
        assertThat(manager.receivers()).extracting(r -> r.origin()).containsExactly("staying");
        manager.obtainNow("hdfs");
        harness.settle();
        assertThat(staying.events).containsExactly("hdfs-1", "hdfs-2");
    }

    /**
     * Kills: the container version logged with each obtain ({@code TokenDelivery.put}'s return)
     * and the failure log's three choices (tokens held or not, WARN or DEBUG, the "logged every 10
     * min" note on the third failure).
     */
    @Test
    void theLogSaysTheContainerVersionAndReportsRepeatedFailuresOnce() {
        manager.addProvider(provider, "p");
        harness.settle();
        assertThat(messages(Level.INFO, "Obtained tokens for 'hdfs'")).singleElement().asString()
                .endsWith("container version 1");

        provider.failure = new IllegalStateException("kdc down");
        for (int i = 0; i < 4; i++) {
            manager.obtainNow("hdfs");
            harness.settle();
        }

        List<String> warnings = messages(Level.WARN, "Obtaining tokens for 'hdfs' failed");
        assertThat(warnings).hasSize(3);
        assertThat(warnings.get(0)).contains("(1 in a row); keeping the current tokens; retry at ")
                .endsWith(": IllegalStateException: kdc down");
        assertThat(warnings.get(2)).contains("(3 in a row)")
                .endsWith(" (the same failure again is logged every 10 min; token:status shows the latest)");
        assertThat(messages(Level.DEBUG, "Obtaining tokens for 'hdfs' failed (4 in a row)")).hasSize(1);

        TestProvider none = new TestProvider("s3", harness.clock);
        none.failure = new IllegalStateException("no account");
        manager.addProvider(none, "q");
        harness.settle();
        assertThat(messages(Level.WARN, "Obtaining tokens for 's3' failed")).singleElement().asString()
                .contains("(1 in a row); no tokens held; retry at ");
    }

    /**
     * A worker's container listeners hear of every remote container and of each expiry, and the
     * log counts the services that changed. Kills: {@code TokenDelivery.applyRemote} and {@code
     * expireRemote} not offering to listeners, and the changed-services count.
     */
    @Test
    void onAWorkerListenersHearOfRemoteContainersAndExpiriesAndTheLogCountsChanges() {
        Versions listener = new Versions();
        manager.addListener(listener, "l");
        byte[] token = "t".getBytes(StandardCharsets.UTF_8);

        java.time.Instant s3Until = DeterministicManager.START.plus(Duration.ofHours(2));
        manager.applyRemote(TokenContainer.of(5, Map.of("hdfs", token, "s3", token),
                Map.of("hdfs", DeterministicManager.START.plus(Duration.ofMinutes(10)), "s3", s3Until)));
        harness.settle();
        harness.timer.advance(Duration.ofMinutes(10));

        assertThat(listener.seen).containsExactly(5L, 5L);
        assertThat(listener.containers.get(1).services()).containsExactly("s3");
        assertThat(listener.containers.get(1).validUntil("s3")).as("the rest keep their valid-until").contains(s3Until);
        assertThat(messages(Level.INFO, "Applied remote container version 5")).singleElement().asString()
                .endsWith("(was 0): 2 of 2 services changed");
    }

    /** Kills {@code updateSettings} not ending the hand-over of a service switched off (its tokens would stay). */
    @Test
    void disablingAServiceWhoseProviderIsHandingOverWithdrawsItsTokensAtOnce() {
        TestReceiver receiver = new TestReceiver("hdfs");
        manager.addReceiver(receiver, "r");
        manager.addProvider(provider, new PluginBundle("io.tokenhost.example.provider", 12));
        harness.settle();
        manager.removeProvider(provider, TokenManager.Departure.BUNDLE_STOPPING);
        assertThat(manager.service("hdfs").orElseThrow().state()).isEqualTo(ServiceStatus.State.HANDING_OVER);

        manager.updateSettings(new ManagerSettings(true, Map.of("hdfs", false), RenewalSettings.DEFAULTS));
        harness.settle();

        assertThat(manager.container().services()).isEmpty();
        assertThat(receiver.events).containsExactly("hdfs-1", "WITHDRAWN");
        assertThat(manager.services()).isEmpty();
    }

    /** Kills the search bound in {@code ProviderRegistry.remove} made {@code <=} (it would read past a list without the provider). */
    @Test
    void removingTheProviderOfALaterServiceOrAnUnknownOneLeavesTheOthers() {
        TestProvider s3 = new TestProvider("s3", harness.clock);
        manager.addProvider(provider, "p");
        manager.addProvider(s3, "q");
        harness.settle();

        manager.removeProvider(s3);
        manager.removeProvider(new TestProvider("kafka", harness.clock));

        assertThat(manager.services()).extracting(ServiceStatus::serviceName).containsExactly("hdfs");
        assertThat(manager.container().services()).containsExactly("hdfs");
    }

    /** Kills both negations in {@code TokenManager.applyRemote}'s warning about local providers. */
    @Test
    void aRemoteContainerAppliedBesideLocalProvidersIsWarnedAbout() {
        byte[] token = "t".getBytes(StandardCharsets.UTF_8);
        manager.applyRemote(TokenContainer.of(1, Map.of("s3", token)));
        assertThat(messages(Level.WARN, "Applied a remote container")).isEmpty();

        manager.addProvider(provider, "p");
        harness.settle();
        manager.applyRemote(TokenContainer.of(2, Map.of("s3", token)));

        assertThat(messages(Level.WARN, "Applied a remote container")).singleElement().asString()
                .isEqualTo("Applied a remote container while local providers [hdfs] are registered; their next obtain"
                        + " will change it again (run providers on the manager only)");
        manager.close();
        manager.applyRemote(TokenContainer.of(3, Map.of("s3", token)));
        assertThat(messages(Level.WARN, "Applied a remote container")).as("ignored once closed").hasSize(1);
    }

    /**
     * Tokens valid for less than {@code renewal.min-interval}: the planned obtain comes after they
     * expire, so the expiry withdraws them and obtains at once. Kills the "obtain due?" check in
     * {@code onExpiry} made always true.
     */
    @Test
    void tokensThatExpireBeforeThePlannedObtainAreWithdrawnAndObtainedAtOnce() {
        RenewalSettings slowest = new RenewalSettings(0.75, Duration.ofSeconds(30), Duration.ofMinutes(10), 0.2,
                Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofSeconds(15));
        DeterministicManager h = new DeterministicManager(() -> 0.5, new ManagerSettings(true, Map.of(), slowest));
        TestProvider shortLived = new TestProvider("hdfs", h.clock);
        shortLived.lifetime = Duration.ofSeconds(10);
        TestReceiver receiver = new TestReceiver("hdfs");
        h.manager.addReceiver(receiver, "r");
        h.manager.addProvider(shortLived, "p");
        h.settle();
        assertThat(h.manager.service("hdfs").orElseThrow().nextObtain())
                .contains(DeterministicManager.START.plus(Duration.ofMinutes(1)));

        h.timer.advance(Duration.ofSeconds(10));

        assertThat(shortLived.calls).as("obtained again at the expiry, not a minute later").hasValue(2);
        assertThat(h.manager.containerVersion()).as("withdrawn (2), then the new tokens (3)").isEqualTo(3);
        // the receiver, busy with nothing yet, is handed only the newest state: the new tokens
        assertThat(receiver.events).containsExactly("hdfs-1", "hdfs-2");
    }
}
