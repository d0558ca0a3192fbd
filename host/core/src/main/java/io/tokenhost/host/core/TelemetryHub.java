package io.tokenhost.host.core;

import io.tokenhost.api.telemetry.DeliveryRecord;
import io.tokenhost.api.telemetry.ObtainRecord;
import io.tokenhost.api.telemetry.TokenEvents;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered {@link TokenEvents} observers as one: every event goes to each in turn, and what
 * one throws is logged at DEBUG and stops no other (nor the token manager). Thread-safe.
 */
public final class TelemetryHub implements TokenEvents {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryHub.class);

    private final List<TokenEvents> observers = new CopyOnWriteArrayList<>();

    public void add(TokenEvents observer) {
        observers.add(observer);
    }

    public void remove(TokenEvents observer) {
        observers.remove(observer);
    }

    @Override
    public void obtainEnded(ObtainRecord record) {
        each(o -> o.obtainEnded(record));
    }

    @Override
    public void delivered(DeliveryRecord record) {
        each(o -> o.delivered(record));
    }

    @Override
    public void withdrawn(String service, long containerVersion) {
        each(o -> o.withdrawn(service, containerVersion));
    }

    @Override
    public void containerPushed(long version, int workers) {
        each(o -> o.containerPushed(version, workers));
    }

    @Override
    public void containerAcknowledged(long version, int workers, Duration sincePush) {
        each(o -> o.containerAcknowledged(version, workers, sincePush));
    }

    private void each(Consumer<TokenEvents> call) {
        for (TokenEvents observer : observers) {
            try {
                call.accept(observer);
            } catch (RuntimeException | LinkageError e) {
                LOG.debug("A token event observer threw: {}", e.toString());
            }
        }
    }
}
