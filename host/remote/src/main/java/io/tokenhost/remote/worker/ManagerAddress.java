package io.tokenhost.remote.worker;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One manager a worker may subscribe to: {@code host:port}, the host checked against its certificate. */
public record ManagerAddress(String host, int port) {

    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:]+\\]|[A-Za-z0-9.-]+):(\\d{1,5})");

    /** {@code host:port} with a port from 0 to 65535, or empty. */
    public static Optional<ManagerAddress> parse(String text) {
        Matcher m = HOST_PORT.matcher(text.trim());
        if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
            return Optional.empty();
        }
        return Optional.of(new ManagerAddress(m.group(1), Integer.parseInt(m.group(2))));
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
