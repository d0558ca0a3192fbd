package io.tokenhost.launcher;

import java.nio.file.Files;
import java.nio.file.Path;

import ch.qos.logback.classic.LoggerContext;

/**
 * Points logback at {@code <home>/conf/logback.xml} before anything touches slf4j, and tells that
 * file how much may reach the terminal: warnings and errors when headless, nothing in interactive
 * mode (it would scribble over the Gogo prompt). Everything goes to {@code <home>/log/}.
 */
final class LogSetup {

    static final String CONSOLE_LEVEL = "tokenhost.log.console.level";
    private static final String LOGBACK_CONFIG = "logback.configurationFile";

    private LogSetup() {
    }

    static void configure(Home home, Mode mode) {
        System.setProperty(CONSOLE_LEVEL, mode == Mode.HEADLESS ? "WARN" : "OFF");
        Path config = home.confDir().resolve("logback.xml");
        if (System.getProperty(LOGBACK_CONFIG) == null && Files.isRegularFile(config)) {
            System.setProperty(LOGBACK_CONFIG, config.toString());
        }
    }

    /** Flushes and closes the appenders; call last, after the framework has stopped. */
    static void shutdown() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
