package io.tokenhost.sandbox;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import org.apache.log4j.FileAppender;
import org.apache.log4j.Level;
import org.apache.log4j.LogManager;
import org.apache.log4j.Logger;
import org.apache.log4j.PatternLayout;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Keeps the terminal for the sandbox's own lines. What the KDC, the mini cluster and the Hadoop
 * client in this JVM log, through any of the logging APIs on this class path (reload4j, slf4j,
 * commons-logging, which all end in reload4j, and java.util.logging, bridged to slf4j), and
 * whatever they print to {@code System.out} or {@code System.err} (uncaught exceptions included)
 * goes to one file in an owner-only folder: Hadoop logs token identifiers.
 *
 * <p>After {@link #last(String)} nothing reaches the terminal any more: a line said later goes to
 * the log file, so the verdict stays the last line.
 */
final class SandboxLog {

    /** The log of the KDC, the mini cluster and everything else in this JVM. */
    static final String CLUSTER_LOG = "minicluster.log";
    /** The reader JVMs' logs (reload4j and standard error), appended one after the other. */
    static final String READER_LOG = "reader.log";

    /** Always with seconds (LocalTime.toString drops them when they are 0). */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final PrintStream TERMINAL = System.out;
    private static boolean finished;

    private SandboxLog() {
    }

    /**
     * Creates {@code dir} (0700) with an empty {@value #CLUSTER_LOG} and {@value #READER_LOG}
     * (0600) and sends every log of this JVM, its standard output and error to the former.
     *
     * @return the cluster log
     */
    static Path redirect(Path dir) throws IOException {
        Path log = ownerOnlyFile(dir, CLUSTER_LOG);
        ownerOnlyFile(dir, READER_LOG);
        // O_APPEND in both streams: reload4j's and the one below interleave whole writes.
        PrintStream stray = new PrintStream(new FileOutputStream(log.toFile(), true), true, StandardCharsets.UTF_8);
        System.setOut(stray);
        System.setErr(stray);
        LogManager.resetConfiguration();
        Logger root = Logger.getRootLogger();
        root.addAppender(new FileAppender(new PatternLayout("%d{ISO8601} %-5p [%t] %c: %m%n"), log.toString(), true));
        root.setLevel(Level.INFO);
        SLF4JBridgeHandler.removeHandlersForRootLogger(); // the JDK's ConsoleHandler writes to the terminal
        SLF4JBridgeHandler.install();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (SandboxLog.class) {
                if (!finished) { // Ctrl-C, SIGTERM: the host and the readers got it too
                    last("stopped by a signal (logs: " + dir + ")");
                }
            }
        }, "sandbox-verdict"));
        return log;
    }

    /** An empty file {@code dir/name}, readable by its owner only, in a folder only its owner can enter. */
    static Path ownerOnlyFile(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path file = dir.resolve(name);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return file;
    }

    /** The first line of what went wrong (the rest, e.g. a process's output, is in the log). */
    static String firstLine(Throwable e) {
        String text = e.toString();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline) + " ...";
    }

    /** A line of the sandbox's own on the terminal, {@code [sandbox HH:MM:SS] text}. */
    static synchronized void say(String text) {
        String line = "[sandbox " + LocalTime.now().format(TIME) + "] " + text;
        if (finished) {
            System.out.println(line); // after the verdict: to the log
        } else {
            TERMINAL.println(line);
            TERMINAL.flush();
        }
    }

    /** The last line on the terminal; later lines go to the log. */
    static synchronized void last(String text) {
        say(text);
        finished = true;
    }
}
