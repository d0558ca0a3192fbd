package io.tokenhost.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import ch.qos.logback.classic.LoggerContext;

/**
 * Points logback at {@code <home>/conf/logback.xml} before anything touches slf4j, and tells that
 * file how much may reach the terminal: warnings and errors when headless, nothing in interactive
 * mode (it would scribble over the Gogo prompt). Everything goes to {@code <home>/log/}.
 */
final class LogSetup {

    static final String CONSOLE_LEVEL = "tokenhost.log.console.level";
    /** The audit log that conf/logback.xml writes (the logger tokenhost.audit). */
    static final String AUDIT_LOG = "audit.jsonl";
    private static final String LOGBACK_CONFIG = "logback.configurationFile";

    private LogSetup() {
    }

    static void configure(Home home, Mode mode) {
        System.setProperty(CONSOLE_LEVEL, mode == Mode.HEADLESS ? "WARN" : "OFF");
        Path config = home.confDir().resolve("logback.xml");
        if (System.getProperty(LOGBACK_CONFIG) == null && Files.isRegularFile(config)) {
            System.setProperty(LOGBACK_CONFIG, config.toString());
        }
        auditLogOwnerOnly(home.logDir().resolve(AUDIT_LOG));
    }

    /**
     * Creates the audit log owner-only (0600), or makes an existing one so, before logback opens it:
     * logback appends to an existing file and keeps its mode. Failing that, the host still starts;
     * the reason goes to the terminal (no logging is set up yet).
     */
    static void auditLogOwnerOnly(Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            System.err.println("tokenhost: could not make " + file + " owner-only: " + e);
        }
    }

    /** Flushes and closes the appenders; call last, after the framework has stopped. */
    static void shutdown() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
