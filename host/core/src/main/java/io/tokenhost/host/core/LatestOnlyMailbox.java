package io.tokenhost.host.core;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Hands items to one consumer on a shared executor, one call at a time and newest first: items
 * offered while a call runs collapse into the latest, because only the current state of the tokens
 * matters, never the steps in between. After {@link #close()} nothing more is handed on.
 */
final class LatestOnlyMailbox<T> {

    private final Executor executor;
    private final Consumer<T> consumer;

    private T pending;
    private boolean draining;
    private boolean closed;

    /** @param executor must run tasks on other threads, never inline */
    LatestOnlyMailbox(Executor executor, Consumer<T> consumer) {
        this.executor = executor;
        this.consumer = consumer;
    }

    /** Queues an item, replacing any not yet handed on. */
    void offer(T item) {
        synchronized (this) {
            if (closed) {
                return;
            }
            pending = item;
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
            T next;
            synchronized (this) {
                next = closed ? null : pending;
                pending = null;
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            consumer.accept(next);
        }
    }
}
