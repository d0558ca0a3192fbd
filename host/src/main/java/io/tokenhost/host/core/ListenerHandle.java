package io.tokenhost.host.core;

import io.tokenhost.api.TokenContainer;
import io.tokenhost.api.TokenContainerListener;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells one {@link TokenContainerListener} about new containers on a shared executor, one call at a
 * time and newest first: versions offered while a call runs collapse into the latest. A listener
 * that throws is logged and keeps receiving later versions.
 */
final class ListenerHandle {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerHandle.class);

    final TokenContainerListener listener;
    final String origin;
    private final Executor executor;

    private TokenContainer pending;
    private long offeredVersion = -1;
    private boolean draining;
    private boolean closed;

    ListenerHandle(TokenContainerListener listener, String origin, Executor executor) {
        this.listener = listener;
        this.origin = origin;
        this.executor = executor;
    }

    /** Queues a container, replacing any not yet passed on. */
    void offer(TokenContainer container) {
        synchronized (this) {
            if (closed) {
                return;
            }
            pending = container;
            offeredVersion = container.version();
            if (draining) {
                return;
            }
            draining = true;
        }
        executor.execute(this::drain);
    }

    synchronized void close() {
        closed = true;
        pending = null;
    }

    private void drain() {
        while (true) {
            TokenContainer next;
            synchronized (this) {
                next = closed ? null : pending;
                pending = null;
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            try {
                ContextClassLoader.callAs(listener, () -> {
                    listener.onContainer(next);
                    return null;
                });
            } catch (Throwable e) {
                LOG.warn("Container listener {} failed on container version {}: {}", origin, next.version(),
                        Errors.describe(e));
            }
        }
    }

    @Override
    public synchronized String toString() {
        return "ListenerHandle[" + origin + ", offered=" + offeredVersion + "]";
    }
}
