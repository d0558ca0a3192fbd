package io.tokenhost.hbase.common;

import io.tokenhost.hadoop.support.HadoopRelease;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the JVM-wide leftovers of the HBase client, and of the Hadoop inside it, from outliving the
 * bundle: Hadoop's through {@link HadoopRelease} (this bundle's own copy, bound to its own Hadoop),
 * and HBase's static client threads, which would pin this bundle's class loader after an update or
 * uninstall. {@link #preload()} on activate, {@link #release()} when a component deactivates.
 */
public final class HBaseRelease {

    private static final Logger LOG = LoggerFactory.getLogger(HBaseRelease.class);

    private HBaseRelease() {
    }

    /** See {@link HadoopRelease#preload()}. */
    public static void preload() {
        HadoopRelease.preload();
    }

    /** Closes cached file systems and, when no component of this bundle is left, drops hooks and threads. */
    public static void release() {
        if (HadoopRelease.release()) {
            stopClientThreads();
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

    private static void stopClientThreads() {
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
}
