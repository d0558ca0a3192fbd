package io.tokenhost.itests.process;

import org.junit.jupiter.api.Assumptions;

/** Tests that act as another OS user (setpriv, chown) need root. */
final class Root {

    private Root() {
    }

    static void assume(String why) throws Exception {
        Assumptions.assumeTrue(isRoot(), why);
    }

    /** Whether the tests run as root (and may act as other users). */
    static boolean isRoot() throws Exception {
        Process id = new ProcessBuilder("id", "-u").start();
        return new String(id.getInputStream().readAllBytes()).strip().equals("0");
    }
}
