package io.tokenhost.remote.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.remote.logging.Refusals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The remote bundle's refusal counters are a service for a metrics endpoint: the component
 * descriptor bnd generated declares it ({@code Supplier} with {@code tokenhost.counters=remote},
 * immediate, so it is registered while the bundle is active and unregistered when it stops), and
 * it hands out every counter by name with its count. (RemoteRefusalsIT sees it registered in a
 * real host.)
 */
class RefusalCountersTest {

    @Test
    void isDeclaredAsACountersServiceOfTheRemoteBundle() throws Exception {
        String descriptor = Files.readString(Path.of("target/classes/OSGI-INF/" + RefusalCounters.class.getName() + ".xml"));
        assertThat(descriptor).contains("immediate=\"true\"", "<provide interface=\"java.util.function.Supplier\"/>")
                .containsPattern("<property name=\"tokenhost.counters\"( type=\"String\")? value=\"remote\"/>");
        assertThat(Files.readString(Path.of("target/classes/META-INF/MANIFEST.MF")).replace("\r\n ", ""))
                .contains("OSGI-INF/" + RefusalCounters.class.getName() + ".xml");
    }

    @Test
    void handsOutEveryCounterWithItsCount() {
        Refusals refusals = new Refusals(Refusals.LINES_PER_MINUTE, Clock.systemUTC());
        RefusalCounters counters = new RefusalCounters(refusals);
        assertThat(counters.get()).containsOnlyKeys("tls-handshakes-failed", "untrusted-certificates", "worker-ids-refused",
                "malformed-frames", "hello-timeouts", "acks-above-sent").allSatisfy((name, count) -> assertThat(count).isZero());

        refusals.refused(Refusals.Kind.MALFORMED_FRAME, LoggerFactory.getLogger(getClass()), () -> "test refusal");
        refusals.refused(Refusals.Kind.MALFORMED_FRAME, LoggerFactory.getLogger(getClass()), () -> "test refusal");
        refusals.refused(Refusals.Kind.HELLO_TIMEOUT, LoggerFactory.getLogger(getClass()), () -> "test refusal");
        assertThat(counters.get()).contains(Map.entry("malformed-frames", 2L), Map.entry("hello-timeouts", 1L),
                Map.entry("acks-above-sent", 0L));
        assertThat(new RefusalCounters().get()).as("the bundle's shared counters").containsOnlyKeys(counters.get().keySet());
    }
}
