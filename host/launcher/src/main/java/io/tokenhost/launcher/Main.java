package io.tokenhost.launcher;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.launch.Framework;
import org.slf4j.Logger;

/**
 * Entry point of {@code bin/tokenhost}.
 *
 * <pre>
 * tokenhost                    host with the Gogo shell on this terminal
 * tokenhost --headless         host without a shell; stops on SIGTERM/SIGINT
 * tokenhost client CMD [ARG]…  run one command in the running host; exit 0 ok, 1 error, 2 no host
 * </pre>
 */
public final class Main {

    /** Leaves time for the JVM to exit within 5 s of SIGTERM. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(4);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Home home;
        try {
            home = Home.fromSystemProperty();
        } catch (IllegalStateException e) {
            System.err.println("tokenhost: " + e.getMessage());
            System.exit(ConsoleClient.USAGE);
            return;
        }
        List<String> arguments = Arrays.asList(args);
        if (!arguments.isEmpty() && arguments.get(0).equals("client")) {
            int status = new ConsoleClient(home, System.out, System.err)
                    .run(arguments.subList(1, arguments.size()));
            System.exit(status);
        }
        Mode mode;
        if (arguments.isEmpty()) {
            mode = Mode.INTERACTIVE;
        } else if (arguments.equals(List.of("--headless"))) {
            mode = Mode.HEADLESS;
        } else {
            System.err.println("usage: tokenhost [--headless] | tokenhost client <command> [arguments...]");
            System.exit(ConsoleClient.USAGE);
            return;
        }
        System.exit(runHost(home, mode));
    }

    private static int runHost(Home home, Mode mode) throws Exception {
        // Before logging starts: logback creates log/tokenhost.log, which must land in a 0700 log/.
        OwnerOnlyInstallation.Tightened tightened = OwnerOnlyInstallation.secure(home);
        LogSetup.configure(home, mode);
        Logger log = org.slf4j.LoggerFactory.getLogger(Main.class);
        reportFilePermissions(home, tightened, log);
        HostLauncher launcher = new HostLauncher(home, FrameworkProperties.of(home, mode));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                launcher.stop(STOP_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                log.info("tokenhost stopped");
                LogSetup.shutdown();
            }
        }, "tokenhost-shutdown"));

        // SIGTERM stops the framework; the wait below then returns and the JVM exits 0 (not 143).
        AtomicBoolean terminated = new AtomicBoolean();
        TermSignal.onTerm(() -> {
            terminated.set(true);
            try {
                if (!launcher.stop(STOP_TIMEOUT)) {
                    log.error("tokenhost did not stop within {} of SIGTERM: halting", STOP_TIMEOUT);
                    LogSetup.shutdown();
                    Runtime.getRuntime().halt(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        Framework framework;
        try {
            framework = launcher.start();
        } catch (Exception e) {
            if (terminated.get()) {
                log.info("tokenhost stopped by SIGTERM while starting");
                return 0;
            }
            log.error("tokenhost failed to start from {}", home.root(), e);
            return 1;
        }
        if (terminated.get()) { // SIGTERM came before there was a framework to stop
            launcher.stop(STOP_TIMEOUT);
        }
        // The JVM's own start stamp; /proc-based ProcessHandle start times are off by up to ~1 s.
        Instant jvmStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        log.info("tokenhost started in {} ms (JVM start to core bundles active), home {}, {} mode",
                Duration.between(jvmStart, Instant.now()).toMillis(), home.root(),
                mode.name().toLowerCase(java.util.Locale.ROOT));
        // Returns when the framework stops: SIGTERM, `stop 0` or `exit` in the shell. The shutdown hook
        // above stops it on other ways out (SIGINT, SIGHUP, System.exit elsewhere).
        framework.waitForStop(0);
        return 0;
    }

    private static void reportFilePermissions(Home home, OwnerOnlyInstallation.Tightened tightened, Logger log) {
        if (tightened.any()) {
            log.info("made data/ and log/ owner-only: took group and other permissions off {} directories and {} files"
                    + " (e.g. {})", tightened.directories(), tightened.files(), tightened.examples());
        }
        tightened.failures().forEach(failure -> log.warn("could not make owner-only: {}", failure));
        OwnerOnlyInstallation.laxUmask(home.dataDir()).ifPresent(log::warn);
        ReadableConfSecrets.warnings(home.confDir()).forEach(log::warn);
    }
}
