package io.tokenhost.launcher;

import org.apache.felix.framework.Logger;

/**
 * Forwards Felix's own log (framework, resolver, errors thrown by bundle activators) to slf4j
 * instead of stdout. Passed as the {@code felix.log.logger} framework property.
 */
public final class Slf4jFelixLogger extends Logger {

    private final org.slf4j.Logger log;

    public Slf4jFelixLogger() {
        this(org.slf4j.LoggerFactory.getLogger("org.apache.felix.framework"));
    }

    Slf4jFelixLogger(org.slf4j.Logger log) {
        this.log = log;
        // Felix filters before calling doLog: let the slf4j configuration decide what gets through.
        setLogLevel(log.isDebugEnabled() ? LOG_DEBUG
                : log.isInfoEnabled() ? LOG_INFO
                : log.isWarnEnabled() ? LOG_WARNING
                : LOG_ERROR);
    }

    /** Every Felix and resolver message ends here (the bundle/service variants format first). */
    @Override
    protected void doLog(int level, String msg, Throwable t) {
        switch (level) {
            case LOG_ERROR -> log.error(msg, t);
            case LOG_WARNING -> log.warn(msg, t);
            case LOG_INFO -> log.info(msg, t);
            default -> log.debug(msg, t);
        }
    }
}
