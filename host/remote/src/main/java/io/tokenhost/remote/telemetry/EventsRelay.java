package io.tokenhost.remote.telemetry;

import io.tokenhost.api.telemetry.TokenEvents;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The registered {@link TokenEvents} observers as one; what one throws is ignored. Thread-safe. */
public final class EventsRelay implements TokenEvents {

    private final List<TokenEvents> observers = new CopyOnWriteArrayList<>();

    public void add(TokenEvents observer) {
        observers.add(observer);
    }

    public void remove(TokenEvents observer) {
        observers.remove(observer);
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
                // an observer's problem is not the manager's
            }
        }
    }
}
