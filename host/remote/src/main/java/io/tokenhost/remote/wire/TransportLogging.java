package io.tokenhost.remote.wire;

import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLoggerFactory;
import io.grpc.netty.shaded.io.netty.util.internal.logging.JdkLoggerFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the transport from logging frame contents. At DEBUG, gRPC's Netty frame logger prints
 * every HTTP/2 DATA frame in hex, which would put token bytes into the log. The embedded (shaded)
 * Netty is therefore pointed at java.util.logging, and its loggers there are held at INFO, so no
 * slf4j/logback setting can turn the frame dumps on.
 */
public final class TransportLogging {

    /** Strong references: java.util.logging forgets the level of a logger nobody holds. */
    private static final Logger[] PINNED = {
        Logger.getLogger("io.grpc.netty.shaded"),
        Logger.getLogger("io.grpc"),
    };

    static {
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        for (Logger logger : PINNED) {
            logger.setLevel(Level.INFO);
        }
    }

    private TransportLogging() {
    }

    /** Idempotent; call before building any server or channel. */
    public static void quiet() {
        // the static initialiser did the work
    }
}
