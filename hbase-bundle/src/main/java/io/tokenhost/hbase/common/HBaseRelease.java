package io.tokenhost.hbase.common;

import java.lang.reflect.Field;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the JVM-wide leftovers of the Hadoop inside the HBase client from outliving the bundle (the
 * Hadoop bundle does the same for its own Hadoop, which is another copy in another class loader). Hadoop registers a JVM shutdown
 * hook in {@link ShutdownHookManager}'s static initialiser and starts a statistics cleaner thread
 * in {@code FileSystem.Statistics}'; both pin the bundle's class loader after an update or
 * uninstall, and the hook fails with {@code NoClassDefFoundError} at JVM exit once the bundle's
 * classes are gone. {@link #preload()} on activate, {@link #release()} when the bundle's last
 * component deactivates.
 */
public final class HBaseRelease {

    private static final Logger LOG = LoggerFactory.getLogger(HBaseRelease.class);
    private static final String[] HOOK_CLASSES = {
        "org.apache.hadoop.util.ShutdownHookManager",
        "org.apache.hadoop.util.ShutdownHookManager$1",
        "org.apache.hadoop.util.ShutdownHookManager$2",
        "org.apache.hadoop.util.ShutdownHookManager$HookEntry",
    };

    private static int users;

    private HBaseRelease() {
    }

    /** Loads the shutdown-hook classes now, while the bundle can still load classes. */
    public static synchronized void preload() {
        users++;
        for (String name : HOOK_CLASSES) {
            try {
                Class.forName(name, true, HBaseRelease.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                LOG.debug("could not preload {}", name, e);
            }
        }
    }

    /** Closes cached file systems and, when no component of this bundle is left, drops hooks and threads. */
    public static synchronized void release() {
        users = Math.max(0, users - 1);
        try {
            FileSystem.closeAll();
        } catch (Exception e) {
            LOG.warn("closing Hadoop file systems failed: {}", e.toString());
        }
        if (users > 0) {
            return;
        }
        ShutdownHookManager.get().clearShutdownHooks();
        stopRpcTimer();
        removeJvmHook();
        stopStatisticsCleaner();
        removeSecurityProviders();
        forgetAsContextClassLoader();
    }

    /**
     * Hadoop's RPC layer registers {@code SaslPlainServer$SecurityProvider} JVM-wide
     * ({@code SaslRpcServer.init}); removed here when it is this bundle's.
     */
    private static void removeSecurityProviders() {
        for (java.security.Provider provider : java.security.Security.getProviders()) {
            if (provider.getClass().getClassLoader() == HBaseRelease.class.getClassLoader()) {
                java.security.Security.removeProvider(provider.getName());
                LOG.debug("removed security provider {}", provider.getName());
            }
        }
    }

    /**
     * Threads that Hadoop made the JDK start while this bundle's loader was the context class loader
     * (the JDK's "process reaper", after Hadoop's Shell ran {@code setsid} or {@code id}) inherited
     * it, and outlive the bundle: let them forget it.
     */
    private static void forgetAsContextClassLoader() {
        ClassLoader ours = HBaseRelease.class.getClassLoader();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread != Thread.currentThread() && thread.getContextClassLoader() == ours
                    && thread.getClass().getClassLoader() != ours) {
                thread.setContextClassLoader(null);
                LOG.debug("thread {} no longer has the Hadoop bundle as context class loader", thread.getName());
            }
        }
    }

    /** Removes ShutdownHookManager's JVM hook; needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}. */
    private static void removeJvmHook() {
        try {
            Class<?> hooksClass = Class.forName("java.lang.ApplicationShutdownHooks");
            Field field = hooksClass.getDeclaredField("hooks");
            field.setAccessible(true);
            Object hooks = field.get(null);
            Thread ours = null;
            synchronized (hooksClass) {
                if (hooks instanceof Map<?, ?> map) {
                    for (Object key : map.keySet()) {
                        if (key instanceof Thread t && t.getClass().getClassLoader() == HBaseRelease.class.getClassLoader()) {
                            ours = t;
                        }
                    }
                }
            }
            if (ours != null) {
                Runtime.getRuntime().removeShutdownHook(ours);
                LOG.debug("removed Hadoop's JVM shutdown hook");
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("cannot remove Hadoop's JVM shutdown hook (the host needs --add-opens "
                    + "java.base/java.lang=ALL-UNNAMED): {}", e.toString());
        }
    }

    /**
     * Static timers and pools of HBase's client whose threads, once started by the first call, run
     * this bundle's code until stopped: the RPC clients' call timer ({@code AbstractRpcClient.WHEEL_TIMER})
     * and idle-connection sweeper ({@code IDLE_CONN_SWEEPER}), and the async client's retry timer.
     */
    private static final String[][] CLIENT_THREADS = {
        {"org.apache.hadoop.hbase.ipc.AbstractRpcClient", "WHEEL_TIMER"},
        {"org.apache.hadoop.hbase.ipc.AbstractRpcClient", "IDLE_CONN_SWEEPER"},
        {"org.apache.hadoop.hbase.client.AsyncConnectionImpl", "RETRY_TIMER"},
    };

    private static void stopRpcTimer() {
        for (String[] owner : CLIENT_THREADS) {
            try {
                Class<?> type = Class.forName(owner[0], false, HBaseRelease.class.getClassLoader());
                Field field = type.getDeclaredField(owner[1]);
                field.setAccessible(true);
                Object threads = field.get(null);
                if (threads instanceof java.util.concurrent.ExecutorService executor) {
                    executor.shutdownNow();
                } else {
                    threads.getClass().getMethod("stop").invoke(threads);
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                LOG.debug("cannot stop {}.{}: {}", owner[0], owner[1], e.toString());
            }
        }
    }

    private static void stopStatisticsCleaner() {
        try {
            Field field = FileSystem.Statistics.class.getDeclaredField("STATS_DATA_CLEANER");
            field.setAccessible(true);
            Thread cleaner = (Thread) field.get(null);
            cleaner.interrupt();
            cleaner.join(2000);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("cannot stop Hadoop's statistics cleaner: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
