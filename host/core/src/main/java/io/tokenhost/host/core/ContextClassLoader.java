package io.tokenhost.host.core;

import java.util.concurrent.Callable;

/**
 * Runs plugin code with the thread context classloader set to the plugin's own classloader.
 * Libraries embedded in plugins (Hadoop's Configuration and FileSystem, the AWS SDK's
 * ServiceLoader) look up resources through it; with the host's loader they silently miss them.
 */
final class ContextClassLoader {

    private ContextClassLoader() {
    }

    static <T> T callAs(Object pluginObject, Callable<T> call) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(pluginObject.getClass().getClassLoader());
        try {
            return call.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
