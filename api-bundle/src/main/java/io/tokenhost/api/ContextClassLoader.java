package io.tokenhost.api;

import java.util.concurrent.Callable;

/**
 * Runs code with a given thread context class loader, and puts the previous one back afterwards,
 * whatever happens. Client libraries embedded in plugins look up their resources and services
 * through the context class loader (Hadoop's default configuration, file systems and token
 * identifiers; the AWS SDK's interceptors and {@code ServiceLoader}); with the host's loader they
 * silently miss them. Plugins pass their own bundle's loader; the host passes the plugin's.
 *
 * @since 1.2
 */
public final class ContextClassLoader {

    private ContextClassLoader() {
    }

    /** Calls {@code call} with {@code loader} as the current thread's context class loader. */
    public static <T> T call(ClassLoader loader, Callable<T> call) throws Exception {
        ClassLoader previous = swap(loader);
        try {
            return call.call();
        } finally {
            swap(previous);
        }
    }

    /** Runs {@code action} with {@code loader} as the current thread's context class loader. */
    public static void run(ClassLoader loader, Runnable action) {
        ClassLoader previous = swap(loader);
        try {
            action.run();
        } finally {
            swap(previous);
        }
    }

    /** Sets the current thread's context class loader; returns the one it replaced. */
    private static ClassLoader swap(ClassLoader loader) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        return previous;
    }
}
