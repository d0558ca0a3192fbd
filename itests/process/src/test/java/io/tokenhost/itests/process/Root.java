package io.tokenhost.itests.process;

import org.junit.jupiter.api.Assumptions;

/** Tests that act as another OS user (setpriv, chown) need root. */
final class Root {

    private Root() {
    }

    static void assume(String why) throws Exception {
        Process id = new ProcessBuilder("id", "-u").start();
        String uid = new String(id.getInputStream().readAllBytes()).strip();
        Assumptions.assumeTrue(uid.equals("0"), why);
    }
}
