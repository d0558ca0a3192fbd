package io.tokenhost.hadoop.agent;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code -javaagent:tokenhost-hadoop-agent.jar[=file=<token file>,poll=<interval>]}: starts one
 * daemon thread, {@code tokenhost-hadoop-agent}, that runs a {@link TokenFileWatcher} every poll
 * interval. It instruments nothing. Bad arguments are reported on standard error and the agent stays
 * off; the application runs either way.
 */
public final class TokenRefreshAgent {

    private static final Logger LOG = System.getLogger(TokenRefreshAgent.class.getName());

    private TokenRefreshAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
        start(args);
    }

    /** Also loadable into a running JVM (the attach API). */
    public static void agentmain(String args, Instrumentation instrumentation) {
        start(args);
    }

    static void start(String args) {
        try {
            startWatching(AgentOptions.parse(args, System.getenv()));
        } catch (IllegalArgumentException e) {
            System.err.println("tokenhost-hadoop-agent: not started: " + e.getMessage());
        } catch (RuntimeException | LinkageError e) { // a throwing premain would stop the JVM
            System.err.println("tokenhost-hadoop-agent: not started: " + e);
        }
    }

    private static void startWatching(AgentOptions options) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tokenhost-hadoop-agent");
            thread.setDaemon(true);
            return thread;
        });
        TokenFileWatcher watcher = new TokenFileWatcher(options, new LoginUserTokens());
        timer.scheduleWithFixedDelay(watcher, 0, options.poll().toMillis(), TimeUnit.MILLISECONDS);
        LOG.log(Level.INFO, "tokenhost-hadoop-agent: watching {0} every {1} ms", options.file(), options.poll().toMillis());
    }
}
