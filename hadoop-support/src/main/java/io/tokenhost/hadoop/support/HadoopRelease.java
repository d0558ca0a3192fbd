package io.tokenhost.hadoop.support;

import java.lang.reflect.Field;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Hadoop's JVM-wide leftovers from outliving the bundle. Hadoop registers a JVM shutdown
 * hook in {@link ShutdownHookManager}'s static initialiser and starts a statistics cleaner thread
 * in {@code FileSystem.Statistics}'; both pin the bundle's class loader after an update or
 * uninstall, and the hook fails with {@code NoClassDefFoundError} at JVM exit once the bundle's
 * classes are gone. {@link #preload()} on activate, {@link #release()} when the bundle's last
 * component deactivates. Each bundle embedding Hadoop has its own copy of this class (and of its
 * count of users), so it only ever touches what its own Hadoop left.
 */
public final class HadoopRelease {

    private static final Logger LOG = LoggerFactory.getLogger(HadoopRelease.class);
    private static final String[] HOOK_CLASSES = {
        "org.apache.hadoop.util.ShutdownHookManager",
        "org.apache.hadoop.util.ShutdownHookManager$1",
        "org.apache.hadoop.util.ShutdownHookManager$2",
        "org.apache.hadoop.util.ShutdownHookManager$HookEntry",
    };

    private static int users;

    private HadoopRelease() {
    }

    /** Loads the shutdown-hook classes now, while the bundle can still load classes. */
    public static synchronized void preload() {
        users++;
        for (String name : HOOK_CLASSES) {
            try {
                Class.forName(name, true, HadoopRelease.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                LOG.debug("could not preload {}", name, e);
            }
        }
    }

    /**
     * Closes cached file systems and, when no component of this bundle is left, drops hooks and threads.
     *
     * @return true if that was the last component: the caller drops what its own library adds
     */
    public static synchronized boolean release() {
        users = Math.max(0, users - 1);
        try {
            FileSystem.closeAll();
        } catch (Exception e) {
            LOG.warn("closing Hadoop file systems failed: {}", e.toString());
        }
        if (users > 0) {
            return false;
        }
        ShutdownHookManager.get().clearShutdownHooks();
        removeJvmHook();
        stopStatisticsCleaner();
        removeSecurityProviders();
        forgetAsContextClassLoader();
        return true;
    }

    /**
     * Hadoop's RPC layer registers {@code SaslPlainServer$SecurityProvider} JVM-wide
     * ({@code SaslRpcServer.init}); removed here when it is this bundle's.
     */
    private static void removeSecurityProviders() {
        for (java.security.Provider provider : java.security.Security.getProviders()) {
            if (provider.getClass().getClassLoader() == HadoopRelease.class.getClassLoader()) {
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
        ClassLoader ours = HadoopRelease.class.getClassLoader();
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
                        if (key instanceof Thread t && t.getClass().getClassLoader() == HadoopRelease.class.getClassLoader()) {
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
