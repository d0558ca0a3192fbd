package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.telemetry.DeliveryRecord;
import io.tokenhost.api.telemetry.ObtainRecord;
import io.tokenhost.api.telemetry.ObtainRecord.Result;
import io.tokenhost.api.telemetry.TokenEvents;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What the manager tells {@link TokenEvents} observers (the metrics and audit bundle). */
class TokenEventsTest {

    private final DeterministicManager harness = new DeterministicManager();
    private final TokenManager manager = harness.manager;
    private final List<Object> events = new CopyOnWriteArrayList<>();

    TokenEventsTest() {
        manager.addEvents(new TokenEvents() {
            @Override
            public void obtainEnded(ObtainRecord record) {
                events.add(record);
            }

            @Override
            public void delivered(DeliveryRecord record) {
                events.add(record);
            }

            @Override
            public void withdrawn(String service, long containerVersion) {
                events.add("withdrawn " + service + " " + containerVersion);
            }
        });
        manager.addEvents(new TokenEvents() {
            @Override
            public void obtainEnded(ObtainRecord record) {
                throw new IllegalStateException("a broken observer stops no other and not the manager");
            }
        });
    }

    @Test
    void obtainsDeliveriesAndWithdrawalsAreReportedWithoutTokenBytes() {
        TestProvider provider = new TestProvider("hdfs", harness.clock);
        TestReceiver receiver = new TestReceiver("hdfs");
        manager.addReceiver(receiver, "r [7]");
        manager.addProvider(provider, "p");
        harness.settle();

        String fingerprint = manager.service("hdfs").orElseThrow().fingerprint().orElseThrow();
        assertThat(events).containsExactly(
                new ObtainRecord("hdfs", Result.SUCCESS, Duration.ZERO, Optional.of(fingerprint),
                        Optional.of(DeterministicManager.START.plus(Duration.ofHours(1))), 0),
                new DeliveryRecord("hdfs", "r [7]", 1, false, Optional.of(fingerprint), Optional.empty()));

        events.clear();
        provider.failure = new IllegalStateException("KDC unreachable");
        manager.obtainNow("hdfs");
        harness.settle();
        assertThat(events).containsExactly(new ObtainRecord("hdfs", Result.FAILURE, Duration.ZERO, Optional.empty(),
                Optional.empty(), 1));

        events.clear();
        manager.removeProvider(provider);
        harness.settle();
        assertThat(events).containsExactly("withdrawn hdfs 2",
                new DeliveryRecord("hdfs", "r [7]", 2, true, Optional.empty(), Optional.empty()));
    }
}
