package io.tokenhost.hbase.common;

import io.tokenhost.api.ContextClassLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A thread owned by one component on which every HBase and Hadoop call runs, with the bundle's class loader
 * as context class loader. HBase and Hadoop leave values in thread locals (per-thread file-system
 * statistics, IPC call ids, ...) whose classes come from this bundle; on the host's long-lived
 * threads they would pin the bundle's class loader after an update. This thread ends when the
 * component deactivates, and its thread locals with it.
 */
public final class HBaseThread implements AutoCloseable {

    /** Code that returns nothing and may throw. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private static final ClassLoader BUNDLE = HBaseThread.class.getClassLoader();

    private final ExecutorService executor;

    public HBaseThread(String name) {
        executor = Executors.newSingleThreadExecutor(runnable -> {
            // No inheritable thread locals: the thread starts on the first call, which may come from
            // a Gogo session (a shell command) whose per-thread output would otherwise capture, and keep,
            // everything this thread prints (Hadoop's log lines), and pin that session.
            Thread thread = new Thread(null, runnable, name, 0, false);
            thread.setDaemon(true);
            thread.setContextClassLoader(BUNDLE);
            return thread;
        });
    }

    /**
     * Runs the call on this thread and waits for it. An interrupt of the waiting thread (the host's
     * obtain timeout) interrupts the call.
     */
    public <T> T call(Callable<T> call) throws Exception {
        Future<T> future = executor.submit(() -> ContextClassLoader.call(BUNDLE, call));
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    public void run(Action action) throws Exception {
        call(() -> {
            action.run();
            return null;
        });
    }

    /** Ends the thread (waits up to 10 s for a running call). */
    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
