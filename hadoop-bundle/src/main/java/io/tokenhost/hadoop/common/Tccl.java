package io.tokenhost.hadoop.common;

/**
 * Runs code with the bundle's class loader as the thread context class loader. Hadoop finds its
 * default configuration, file systems, token identifiers and security infos through it; with the
 * host's loader it silently misses them.
 */
public final class Tccl {

    /** Code that may throw. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws Exception;
    }

    /** Code that returns nothing and may throw. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private static final ClassLoader BUNDLE = Tccl.class.getClassLoader();

    private Tccl() {
    }

    public static <T> T call(Call<T> call) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(BUNDLE);
        try {
            return call.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    public static void run(Action action) throws Exception {
        call(() -> {
            action.run();
            return null;
        });
    }
}
