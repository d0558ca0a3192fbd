package io.tokenhost.remote.config;

import io.tokenhost.remote.config.RemoteSettings.Role;
import io.tokenhost.remote.wire.Frames;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses configuration PID {@value #PID}. Every key, its default and its meaning are in
 * {@code docs/remote.md}. A bad value is refused with a message naming the key.
 */
public final class RemoteConfig {

    public static final String PID = "io.tokenhost.remote";

    public static final String ROLE = "role";
    public static final String LISTEN_HOST = "listen.host";
    public static final String LISTEN_PORT = "listen.port";
    public static final String MANAGER_ADDRESS = "manager.address";
    public static final String WORKER_ID = "worker.id";
    public static final String TLS_CA = "tls.ca";
    public static final String TLS_CERT = "tls.cert";
    public static final String TLS_KEY = "tls.key";
    public static final String INSECURE = "insecure";
    public static final String BACKOFF = "reconnect.backoff";
    public static final String BACKOFF_MAX = "reconnect.backoff.max";
    public static final String JITTER = "reconnect.jitter";
    public static final String KEEPALIVE = "keepalive";

    public static final int DEFAULT_PORT = 7443;
    static final Set<String> KEYS = Set.of(ROLE, LISTEN_HOST, LISTEN_PORT, MANAGER_ADDRESS, WORKER_ID, TLS_CA, TLS_CERT,
            TLS_KEY, INSECURE, BACKOFF, BACKOFF_MAX, JITTER, KEEPALIVE);
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|min|h)");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:]+\\]|[A-Za-z0-9.-]+):(\\d{1,5})");

    private RemoteConfig() {
    }

    /**
     * @param home the installation home, against which relative paths are resolved
     */
    public static RemoteSettings parse(Map<String, ?> properties, Path home) throws RemoteConfigException {
        Role role = role(text(properties, ROLE, "standalone"));
        String listenHost = text(properties, LISTEN_HOST, "0.0.0.0");
        int listenPort = port(LISTEN_PORT, text(properties, LISTEN_PORT, String.valueOf(DEFAULT_PORT)));
        String managerHost = null;
        int managerPort = 0;
        String address = text(properties, MANAGER_ADDRESS, null);
        if (address != null) {
            Matcher m = HOST_PORT.matcher(address.trim());
            if (!m.matches()) {
                throw new RemoteConfigException(MANAGER_ADDRESS + ": '" + address + "' is not host:port");
            }
            managerHost = m.group(1);
            managerPort = port(MANAGER_ADDRESS, m.group(2));
        } else if (role == Role.WORKER) {
            throw new RemoteConfigException(MANAGER_ADDRESS + " is required for role worker (host:port of the manager)");
        }
        String workerId = text(properties, WORKER_ID, null); // null: see WorkerIdentity
        if (workerId != null) {
            try {
                Frames.checkWorkerId(workerId);
            } catch (IllegalArgumentException e) {
                throw new RemoteConfigException(WORKER_ID + ": " + e.getMessage());
            }
        }
        Path ca = path(home, text(properties, TLS_CA, "conf/tls/ca.crt"));
        Path cert = path(home, text(properties, TLS_CERT, "conf/tls/node.crt"));
        Path key = path(home, text(properties, TLS_KEY, "conf/tls/node.key"));
        boolean insecure = bool(INSECURE, text(properties, INSECURE, "false"));
        Duration backoff = duration(BACKOFF, text(properties, BACKOFF, "1s"));
        Duration backoffMax = duration(BACKOFF_MAX, text(properties, BACKOFF_MAX, "30s"));
        if (backoffMax.compareTo(backoff) < 0) {
            throw new RemoteConfigException(BACKOFF_MAX + " must be >= " + BACKOFF);
        }
        double jitter = fraction(JITTER, text(properties, JITTER, "0.5"));
        Duration keepAlive = duration(KEEPALIVE, text(properties, KEEPALIVE, "30s"));
        if (keepAlive.toSeconds() < 10) {
            throw new RemoteConfigException(KEEPALIVE + " must be at least 10s (the manager refuses more frequent pings)");
        }
        return new RemoteSettings(role, listenHost, listenPort, managerHost, managerPort, workerId, ca, cert, key,
                insecure, backoff, backoffMax, jitter, keepAlive);
    }

    /** Keys present that this version does not know (reported, not refused). */
    public static Set<String> unknownKeys(Map<String, ?> properties) {
        return properties.keySet().stream()
                .filter(k -> !KEYS.contains(k) && !k.startsWith("service.") && !k.startsWith("component.")
                        && !k.startsWith("felix.") && !k.startsWith("osgi."))
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    private static String text(Map<String, ?> properties, String key, String fallback) {
        Object value = properties.get(key);
        if (value == null || value.toString().isBlank()) {
            return fallback;
        }
        return value.toString().trim();
    }

    private static Role role(String text) throws RemoteConfigException {
        try {
            return Role.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RemoteConfigException(ROLE + ": '" + text + "' is not one of standalone, manager, worker");
        }
    }

    private static int port(String key, String text) throws RemoteConfigException {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new RemoteConfigException(key + ": '" + text + "' is not a port (0..65535)");
    }

    private static boolean bool(String key, String text) throws RemoteConfigException {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new RemoteConfigException(key + ": '" + text + "' is not true or false");
        };
    }

    private static double fraction(String key, String text) throws RemoteConfigException {
        try {
            double value = Double.parseDouble(text);
            if (value >= 0 && value <= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new RemoteConfigException(key + ": '" + text + "' is not a number in 0..1");
    }

    static Duration duration(String key, String text) throws RemoteConfigException {
        Matcher m = SIMPLE_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m", "min" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } else {
            try {
                d = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new RemoteConfigException(key + ": '" + text + "' is not a duration (e.g. 500ms, 30s, 5m)");
            }
        }
        if (d.isNegative() || d.isZero()) {
            throw new RemoteConfigException(key + ": must be positive");
        }
        return d;
    }

    private static Path path(Path home, String text) {
        Path p = Path.of(text);
        return p.isAbsolute() ? p : home.resolve(p).normalize();
    }

    /** The host name with characters outside [A-Za-z0-9._-] replaced (the id of an insecure worker). */
    static String hostNameWorkerId() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.replaceAll("[^A-Za-z0-9._-]", "-");
        } catch (Exception e) {
            return "worker";
        }
    }
}
