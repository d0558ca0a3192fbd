package io.tokenhost.s3.config;

import java.util.concurrent.Callable;

/**
 * Runs code with the thread context class loader set to this bundle's loader, so that the SDK's
 * class-path lookups (interceptors, ServiceLoader) see the embedded SDK and nothing of the host.
 */
public final class Tccl {

    private Tccl() {
    }

    public static <T> T call(Callable<T> action) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Tccl.class.getClassLoader());
        try {
            return action.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    public static void run(Runnable action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Tccl.class.getClassLoader());
        try {
            action.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
