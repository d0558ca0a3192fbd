package io.tokenhost.itests.process;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that act as a second, unprivileged OS user ({@code nobody}, uid 65534): as root through
 * {@code setpriv}, otherwise through passwordless {@code sudo -u nobody}. Without either such a
 * test fails, naming what it needs, rather than being skipped unnoticed; {@code
 * -Dtokenhost.tests.other-user=skip} skips them on purpose (a developer's machine without root).
 */
final class Root {

    /** The second user's name (uid 65534 on Debian, Ubuntu, RHEL and Alpine). */
    static final String OTHER_USER = "nobody";

    private Root() {
    }

    /** Passes if the tests may act as {@link #OTHER_USER}; otherwise fails, or skips if asked to. */
    static void require(String why) throws Exception {
        if (asOtherUser() != null) {
            return;
        }
        String message = why + ": the tests run neither as root nor with passwordless sudo";
        if ("skip".equals(System.getProperty("tokenhost.tests.other-user"))) {
            Assumptions.abort(message + " (skipped: -Dtokenhost.tests.other-user=skip)");
        }
        throw new AssertionError(message + "; run them as root (CI does) or with sudo -n, or skip these checks"
                + " explicitly with -Dtokenhost.tests.other-user=skip");
    }

    /**
     * The command prefix that runs a command as {@link #OTHER_USER} with no supplementary groups,
     * or null if this process may not.
     */
    static List<String> asOtherUser() throws Exception {
        if (isRoot()) {
            return List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
        }
        if (succeeds("sudo", "-n", "-u", OTHER_USER, "true")) {
            return List.of("sudo", "-n", "-u", OTHER_USER, "--");
        }
        return null;
    }

    /** Whether the tests run as root (and may act as other users, and give files away). */
    static boolean isRoot() throws Exception {
        Process id = new ProcessBuilder("id", "-u").start();
        return new String(id.getInputStream().readAllBytes()).strip().equals("0");
    }

    private static boolean succeeds(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false; // no sudo
        }
    }
}
