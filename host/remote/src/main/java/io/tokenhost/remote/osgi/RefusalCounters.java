package io.tokenhost.remote.osgi;

import io.tokenhost.remote.logging.Refusals;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Component;

/**
 * The remote manager's refusal counters ({@link Refusals#SHARED}: failed TLS handshakes, untrusted
 * certificates, refused worker ids, malformed frames, hello timeouts, acknowledgements above the
 * version sent) as a service, {@code Supplier<Map<String, Long>>} with {@value #COUNTERS_PROPERTY}{@code
 * =remote}, like the console's ({@code tokenhost.counters=console}): for a metrics endpoint. Registered
 * while the remote bundle is active, whatever its role (the counts stay 0 without a manager);
 * counts are since the bundle started. Names and values only: nothing of a peer.
 */
@Component(immediate = true, service = Supplier.class, property = RefusalCounters.COUNTERS_PROPERTY + "=remote")
public final class RefusalCounters implements Supplier<Map<String, Long>> {

    /** The service property naming a set of counters (the host core's console uses the same). */
    public static final String COUNTERS_PROPERTY = "tokenhost.counters";

    private final Refusals refusals;

    public RefusalCounters() {
        this(Refusals.SHARED);
    }

    RefusalCounters(Refusals refusals) {
        this.refusals = refusals;
    }

    /** Counter name to count, every kind (0 included), in a fixed order. */
    @Override
    public Map<String, Long> get() {
        return refusals.counts();
    }
}
