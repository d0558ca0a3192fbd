package io.tokenhost.remote.logging;

import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Every refusal of the remote manager, counted by kind, and logged through ONE shared
 * {@link LogBudget} of {@value #LINES_PER_MINUTE} lines a minute: a client that keeps knocking in any
 * way (malformed frames, no hello, untrusted certificates, wrong worker ids, acknowledgements of
 * versions never sent) cannot flood the log, and operators still see how many there were in
 * {@code token:workers}. One instance per bundle ({@link #SHARED}), so the TLS trust manager and the
 * manager's streams share the budget; counts are since the remote bundle started.
 */
public final class Refusals {

    public static final int LINES_PER_MINUTE = 10;
    public static final Refusals SHARED = new Refusals(LINES_PER_MINUTE, Clock.systemUTC());

    /** A kind of refusal and the name of its counter. */
    public enum Kind {
        HANDSHAKE_FAILED("tls-handshakes-failed"),
        UNTRUSTED_CERTIFICATE("untrusted-certificates"),
        WORKER_ID("worker-ids-refused"),
        MALFORMED_FRAME("malformed-frames"),
        HELLO_TIMEOUT("hello-timeouts"),
        ACK_ABOVE_SENT("acks-above-sent");

        private final String counter;

        Kind(String counter) {
            this.counter = counter;
        }

        public String counter() {
            return counter;
        }
    }

    private final Map<Kind, AtomicLong> counts = new EnumMap<>(Kind.class);
    private final LogBudget budget;

    public Refusals(int linesPerMinute, Clock clock) {
        this.budget = new LogBudget(linesPerMinute, clock);
        for (Kind kind : Kind.values()) {
            counts.put(kind, new AtomicLong());
        }
    }

    /** Counts one refusal and logs {@code message} at WARN if the shared budget allows. */
    public void refused(Kind kind, Logger log, Supplier<String> message) {
        counts.get(kind).incrementAndGet();
        int dropped = budget.take();
        if (dropped >= 0) {
            log.warn("{}{}", message.get(), LogBudget.leftOut(dropped));
        }
    }

    public long count(Kind kind) {
        return counts.get(kind).get();
    }

    /** Counter name to count, every kind, in declaration order. */
    public Map<String, Long> counts() {
        Map<String, Long> all = new LinkedHashMap<>();
        counts.forEach((kind, count) -> all.put(kind.counter(), count.get()));
        return all;
    }
}
