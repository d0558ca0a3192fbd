package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.ServiceStatus;
import io.tokenhost.host.core.ProviderRegistry.Removal;
import org.junit.jupiter.api.Test;

/** The first provider of a service is in charge; duplicates take over in arrival order. */
class ProviderRegistryTest {

    private final ProviderRegistry registry = new ProviderRegistry();

    private static ProviderSlot slot(String service, String origin) {
        return new ProviderSlot(new TestProvider(service, null), service, origin);
    }

    @Test
    void aSecondProviderOfAServiceLearnsWhoIsInCharge() {
        ProviderSlot first = slot("hdfs", "first");
        ProviderSlot other = slot("s3", "other");

        assertThat(registry.add(first)).isEmpty();
        assertThat(registry.add(other)).isEmpty();
        assertThat(registry.add(slot("hdfs", "second"))).containsSame(first);

        assertThat(registry.inCharge("hdfs")).containsSame(first);
        assertThat(registry.inCharge()).containsExactly(first, other);
        assertThat(registry.services()).containsExactly("hdfs", "s3");
        assertThat(registry.statuses()).extracting(ServiceStatus::origin).containsExactly("first", "second", "other");
    }

    @Test
    void whenTheOneInChargeLeavesTheNextDuplicateSucceedsIt() {
        ProviderSlot first = slot("hdfs", "first");
        ProviderSlot second = slot("hdfs", "second");
        ProviderSlot third = slot("hdfs", "third");
        registry.add(first);
        registry.add(second);
        registry.add(third);

        Removal removal = registry.remove(first.provider()).orElseThrow();

        assertThat(removal.slot()).isSameAs(first);
        assertThat(removal.wasInCharge()).isTrue();
        assertThat(removal.successor()).containsSame(second);
        assertThat(registry.inCharge("hdfs")).containsSame(second);
    }

    @Test
    void aDuplicateLeavingChangesNothingInCharge() {
        ProviderSlot first = slot("hdfs", "first");
        ProviderSlot second = slot("hdfs", "second");
        registry.add(first);
        registry.add(second);

        Removal removal = registry.remove(second.provider()).orElseThrow();

        assertThat(removal.wasInCharge()).isFalse();
        assertThat(removal.successor()).isEmpty();
        assertThat(registry.inCharge("hdfs")).containsSame(first);
    }

    @Test
    void theLastProviderLeavingForgetsTheServiceAndAnUnknownOneIsIgnored() {
        ProviderSlot only = slot("hdfs", "only");
        registry.add(only);

        assertThat(registry.remove(only.provider()).orElseThrow().successor()).isEmpty();
        assertThat(registry.remove(only.provider())).isEmpty();
        assertThat(registry.services()).isEmpty();
        assertThat(registry.inCharge("hdfs")).isEmpty();
    }
}
