package io.tokenhost.host.core;

import io.tokenhost.api.ContextClassLoader;
import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.api.ReceiverStatus;
import io.tokenhost.api.telemetry.DeliveryRecord;
import io.tokenhost.api.telemetry.TokenEvents;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers tokens to one receiver through a {@link LatestOnlyMailbox}: one call at a time, and if
 * several updates arrive while a call runs, only the latest is delivered next. A receiver that
 * throws is recorded here and affects no other receiver.
 */
final class ReceiverHandle {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiverHandle.class);

    final DelegationTokenReceiver receiver;
    final String service;
    final String origin;
    private final Clock clock;
    private final LatestOnlyMailbox<Delivery> mailbox;
    private final TokenEvents events;

    private long deliveredVersion;
    private Instant lastDelivery;
    private String fingerprint;
    private long failures;
    private String lastError;

    ReceiverHandle(DelegationTokenReceiver receiver, String service, String origin, Executor executor, Clock clock) {
        this(receiver, service, origin, executor, clock, new TokenEvents() { });
    }

    ReceiverHandle(DelegationTokenReceiver receiver, String service, String origin, Executor executor, Clock clock,
            TokenEvents events) {
        this.events = events;
        this.receiver = receiver;
        this.service = service;
        this.origin = origin;
        this.clock = clock;
        this.mailbox = new LatestOnlyMailbox<>(executor, this::deliver);
    }

    /** Queues a delivery, replacing any not yet started. */
    void offer(Delivery delivery) {
        mailbox.offer(delivery);
    }

    void close() {
        mailbox.close();
    }

    synchronized ReceiverStatus status() {
        return new ReceiverStatus(service, origin, deliveredVersion, Optional.ofNullable(lastDelivery),
                Optional.ofNullable(fingerprint), failures, Optional.ofNullable(lastError));
    }

    private void deliver(Delivery delivery) {
        try {
            ContextClassLoader.call(receiver.getClass().getClassLoader(), () -> {
                if (delivery.tokens() == null) {
                    receiver.onTokensWithdrawn();
                } else {
                    receiver.onNewTokensObtained(delivery.tokens().clone());
                }
                return null;
            });
            synchronized (this) {
                deliveredVersion = delivery.version();
                lastDelivery = clock.instant();
                fingerprint = delivery.fingerprint();
            }
            events.delivered(new DeliveryRecord(service, origin, delivery.version(), delivery.tokens() == null,
                    Optional.ofNullable(delivery.fingerprint()), Optional.empty()));
        } catch (Throwable e) {
            String error = Errors.describe(e);
            synchronized (this) {
                failures++;
                lastError = error;
            }
            LOG.warn("Receiver {} of service '{}' failed on container version {}: {}",
                    origin, service, delivery.version(), error);
            events.delivered(new DeliveryRecord(service, origin, delivery.version(), delivery.tokens() == null,
                    Optional.ofNullable(delivery.fingerprint()), Optional.of(error)));
        }
    }

    /**
     * What to hand a receiver: tokens at a container version, or {@code tokens == null} for a
     * withdrawal.
     */
    record Delivery(long version, byte[] tokens, String fingerprint) {
        @Override
        public String toString() {
            return "Delivery[version=" + version + ", fingerprint=" + fingerprint + "]";
        }
    }
}
