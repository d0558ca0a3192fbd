package io.tokenhost.itests.support;

import java.io.IOException;
import java.net.ServerSocket;

/** Ports for processes a test starts. */
public final class Ports {

    private Ports() {
    }

    /** A port nothing listens on right now (another process may take it before the test does). */
    public static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
