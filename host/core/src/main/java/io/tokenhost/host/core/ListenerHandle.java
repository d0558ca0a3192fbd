package io.tokenhost.host.core;

import io.tokenhost.api.ContextClassLoader;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.distribution.TokenContainerListener;
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

    private final LatestOnlyMailbox<TokenContainer> mailbox;

    ListenerHandle(TokenContainerListener listener, String origin, Executor executor) {
        this.listener = listener;
        this.origin = origin;
        this.mailbox = new LatestOnlyMailbox<>(executor, this::tell);
    }

    /** Queues a container, replacing any not yet passed on. */
    void offer(TokenContainer container) {
        mailbox.offer(container);
    }

    void close() {
        mailbox.close();
    }

    private void tell(TokenContainer container) {
        try {
            ContextClassLoader.call(listener.getClass().getClassLoader(), () -> {
                listener.onContainer(container);
                return null;
            });
        } catch (Throwable e) {
            LOG.warn("Container listener {} failed on container version {}: {}", origin, container.version(),
                    Errors.describe(e));
        }
    }

    @Override
    public String toString() {
        return "ListenerHandle[" + origin + "]";
    }
}
