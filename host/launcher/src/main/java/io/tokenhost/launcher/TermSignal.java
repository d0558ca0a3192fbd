package io.tokenhost.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM into a clean stop that exits 0. The JVM's own SIGTERM handling runs the shutdown
 * hooks and then exits with 143 (128 + 15) whatever they do, and systemd counts 143 as a failure.
 * With this handler SIGTERM instead runs the given stop on its own thread (the JVM starts one per
 * signal); {@link Main} then returns from waiting for the framework and exits with its status.
 * Uses {@code sun.misc.Signal} (module {@code jdk.unsupported}), the JDK's only way to handle a
 * signal; where it is unavailable (a JVM started with {@code -Xrs}) the default stays, with a warning.
 */
final class TermSignal {

    private static final Logger LOG = LoggerFactory.getLogger(TermSignal.class);

    private TermSignal() {
    }

    /** Runs {@code stop} when SIGTERM arrives; returns whether the handler is installed. */
    static boolean onTerm(Runnable stop) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> {
                LOG.info("SIGTERM received: stopping");
                stop.run();
            });
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warn("cannot handle SIGTERM ({}): a SIGTERM stop exits with status 143", e.getMessage());
            return false;
        }
    }
}
