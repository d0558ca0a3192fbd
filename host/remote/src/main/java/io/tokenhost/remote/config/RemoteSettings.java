package io.tokenhost.remote.config;

import static io.tokenhost.remote.config.RemoteConfig.HA_ADVERTISED_ADDRESS;
import static io.tokenhost.remote.config.RemoteConfig.HA_CLUSTER_ID;
import static io.tokenhost.remote.config.RemoteConfig.HA_CONNECTION_TIMEOUT;
import static io.tokenhost.remote.config.RemoteConfig.HA_MISMATCH_GRACE;
import static io.tokenhost.remote.config.RemoteConfig.HA_QUORUM;
import static io.tokenhost.remote.config.RemoteConfig.HA_ROOT;
import static io.tokenhost.remote.config.RemoteConfig.HA_SESSION_TIMEOUT;
import static io.tokenhost.remote.config.RemoteConfig.INSECURE;
import static io.tokenhost.remote.config.RemoteConfig.KEEPALIVE;
import static io.tokenhost.remote.config.RemoteConfig.LISTEN_HOST;
import static io.tokenhost.remote.config.RemoteConfig.LISTEN_PORT;
import static io.tokenhost.remote.config.RemoteConfig.MANAGER_ADDRESS;
import static io.tokenhost.remote.config.RemoteConfig.RECONNECT_BACKOFF;
import static io.tokenhost.remote.config.RemoteConfig.RECONNECT_BACKOFF_MAX;
import static io.tokenhost.remote.config.RemoteConfig.RECONNECT_JITTER;
import static io.tokenhost.remote.config.RemoteConfig.RESTORE_WITHOUT_EXPIRY_MAX_AGE;
import static io.tokenhost.remote.config.RemoteConfig.ROLE;
import static io.tokenhost.remote.config.RemoteConfig.TLS_CA;
import static io.tokenhost.remote.config.RemoteConfig.TLS_CERT;
import static io.tokenhost.remote.config.RemoteConfig.TLS_KEY;
import static io.tokenhost.remote.config.RemoteConfig.WORKER_ID;
import static io.tokenhost.remote.config.RemoteConfig.ACCESS_DEFAULT;
import static io.tokenhost.remote.config.RemoteConfig.REVOCATION_DENY_LIST;
import static io.tokenhost.remote.config.RemoteConfig.TLS_CRL;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.api.Durations;
import io.tokenhost.remote.access.AccessPolicy;
import io.tokenhost.remote.ha.HaSettings;
import io.tokenhost.remote.wire.Frames;
import io.tokenhost.remote.worker.ManagerAddress;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What configuration PID {@value RemoteConfig#PID} asks for, every value checked. Paths are
 * absolute (relative ones were resolved against the installation home). {@code workerId} is empty
 * when {@code worker.id} is not set: {@link WorkerIdentity} then takes the certificate's CN.
 */
public record RemoteSettings(
        Role role,
        String listenHost,
        int listenPort,
        List<ManagerAddress> managers,
        Optional<String> workerId,
        Path caFile,
        Path certFile,
        Path keyFile,
        boolean insecure,
        Duration backoff,
        Duration backoffMax,
        double jitter,
        Duration keepAlive,
        Duration restoreWithoutExpiryMaxAge,
        Optional<HaSettings> ha,
        AccessPolicy access,
        Optional<Path> crlFile,
        Optional<Path> denyListFile) {

    public enum Role {
        STANDALONE, MANAGER, WORKER
    }

    /** host:port[,host:port...] with an optional chroot path, as ZooKeeper takes it. */
    private static final Pattern QUORUM = Pattern.compile(
            "[A-Za-z0-9.\\[\\]:-]+:\\d{1,5}(,[A-Za-z0-9.\\[\\]:-]+:\\d{1,5})*(/[A-Za-z0-9._-]+)*");
    private static final Pattern ZK_PATH = Pattern.compile("(/[A-Za-z0-9._-]+)+");
    private static final Duration MIN_KEEPALIVE = Duration.ofSeconds(10); // the manager refuses more frequent pings

    /**
     * @param home the installation home, against which relative paths are resolved
     * @throws ConfigurationRefusedException naming the first key whose value breaks its rule
     */
    public static RemoteSettings from(ConfigValues values, Path home) {
        Role role = Role.valueOf(values.oneOf(ROLE, Set.of("standalone", "manager", "worker")).toUpperCase(Locale.ROOT));
        List<ManagerAddress> managers = new ArrayList<>();
        Optional<String> address = values.text(MANAGER_ADDRESS);
        if (address.isPresent()) {
            for (String one : address.get().split(",", -1)) {
                Optional<ManagerAddress> parsed = ManagerAddress.parse(one);
                if (parsed.isEmpty()) {
                    throw values.refused(MANAGER_ADDRESS, "must be host:port with a port from 0 to 65535, or several"
                            + " of them comma-separated");
                }
                if (managers.contains(parsed.get())) {
                    throw values.refused(MANAGER_ADDRESS, "names " + parsed.get() + " twice");
                }
                managers.add(parsed.get());
            }
        } else if (role == Role.WORKER) {
            throw new ConfigurationRefusedException(MANAGER_ADDRESS, "must be set for role worker (host:port of the manager)",
                    null);
        }
        Optional<String> workerId = values.text(WORKER_ID);
        if (workerId.isPresent() && !Frames.isWorkerId(workerId.get())) {
            throw values.refused(WORKER_ID, "must be " + Frames.WORKER_ID_RULE);
        }
        Duration backoff = values.duration(RECONNECT_BACKOFF);
        Duration backoffMax = values.duration(RECONNECT_BACKOFF_MAX);
        if (backoffMax.compareTo(backoff) < 0) {
            throw values.refused(RECONNECT_BACKOFF_MAX, "must be at least " + RECONNECT_BACKOFF + " ("
                    + Durations.format(backoff) + ")");
        }
        return new RemoteSettings(role, values.required(LISTEN_HOST), values.integer(LISTEN_PORT, 0, 65535),
                List.copyOf(managers), workerId,
                path(values, TLS_CA, home), path(values, TLS_CERT, home), path(values, TLS_KEY, home),
                values.bool(INSECURE), backoff, backoffMax, jitter(values),
                values.duration(KEEPALIVE, MIN_KEEPALIVE, ConfigValues.MAX_DURATION),
                values.duration(RESTORE_WITHOUT_EXPIRY_MAX_AGE), ha(values, role), access(values, role),
                managerFile(values, TLS_CRL, role, home), managerFile(values, REVOCATION_DENY_LIST, role, home));
    }

    /** The same settings with another access policy: what a change of only the access.* keys leaves. */
    public RemoteSettings withAccess(AccessPolicy policy) {
        return new RemoteSettings(role, listenHost, listenPort, managers, workerId, caFile, certFile, keyFile, insecure,
                backoff, backoffMax, jitter, keepAlive, restoreWithoutExpiryMaxAge, ha, policy, crlFile, denyListFile);
    }

    /** The {@code access.*} keys: for a manager only. */
    private static AccessPolicy access(ConfigValues values, Role role) {
        if (role != Role.MANAGER) {
            Optional<String> given = values.given(ACCESS_DEFAULT).isPresent() ? Optional.of(ACCESS_DEFAULT)
                    : values.withPrefix(AccessPolicy.PREFIX).keySet().stream().findFirst();
            if (given.isPresent()) {
                throw values.refused(given.get(), "is for role manager only (the manager decides which worker"
                        + " receives which service)");
            }
            return AccessPolicy.ALLOW_ALL;
        }
        return AccessPolicy.parse(values);
    }

    /** An optional file a manager watches ({@code tls.crl}, {@code revocation.deny-list}). */
    private static Optional<Path> managerFile(ConfigValues values, String key, Role role, Path home) {
        if (values.text(key).isEmpty()) {
            return Optional.empty();
        }
        if (role != Role.MANAGER) {
            throw values.refused(key, "is for role manager only");
        }
        return Optional.of(path(values, key, home));
    }

    /** The {@code ha.*} keys: empty without {@code ha.zookeeper.quorum}. */
    private static Optional<HaSettings> ha(ConfigValues values, Role role) {
        Optional<String> quorum = values.text(HA_QUORUM);
        if (quorum.isEmpty()) {
            return Optional.empty();
        }
        if (role != Role.MANAGER) {
            throw values.refused(HA_QUORUM, "is for role manager only (workers need no ZooKeeper: list every manager in "
                    + MANAGER_ADDRESS + ")");
        }
        if (!QUORUM.matcher(quorum.get()).matches()) {
            throw values.refused(HA_QUORUM, "must be host:port[,host:port...] (a ZooKeeper connect string)");
        }
        String clusterId = values.required(HA_CLUSTER_ID);
        if (!Frames.isWorkerId(clusterId)) {
            throw values.refused(HA_CLUSTER_ID, "must be " + Frames.WORKER_ID_RULE);
        }
        String root = values.required(HA_ROOT);
        if (!ZK_PATH.matcher(root).matches()) {
            throw values.refused(HA_ROOT, "must be an absolute ZooKeeper path like /tokenhost (segments of"
                    + " [A-Za-z0-9._-], no trailing /)");
        }
        Duration session = values.duration(HA_SESSION_TIMEOUT, Duration.ofSeconds(1), Duration.ofMinutes(10));
        Duration connection = values.duration(HA_CONNECTION_TIMEOUT, Duration.ofMillis(100), Duration.ofMinutes(10));
        Duration mismatchGrace = values.duration(HA_MISMATCH_GRACE, Duration.ofSeconds(1), Duration.ofMinutes(10));
        Optional<String> advertised = values.text(HA_ADVERTISED_ADDRESS);
        if (advertised.isPresent() && ManagerAddress.parse(advertised.get()).isEmpty()) {
            throw values.refused(HA_ADVERTISED_ADDRESS, "must be host:port, as workers list it in " + MANAGER_ADDRESS);
        }
        return Optional.of(new HaSettings(quorum.get(), clusterId, root + "/" + clusterId, session, connection,
                advertised.map(a -> ManagerAddress.parse(a).orElseThrow().toString()), mismatchGrace));
    }

    /** Every manager address, comma-separated. */
    public String managerAddress() {
        return String.join(",", managers.stream().map(ManagerAddress::toString).toList());
    }

    /** A number from 0 to 1, both included (ConfigValues' fractions exclude 1; a jitter of 1 is allowed). */
    private static double jitter(ConfigValues values) {
        String text = values.required(RECONNECT_JITTER);
        try {
            double jitter = Double.parseDouble(text);
            if (jitter >= 0 && jitter <= 1) {
                return jitter;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw values.refused(RECONNECT_JITTER, "must be a number from 0 to 1");
    }

    private static Path path(ConfigValues values, String key, Path home) {
        try {
            Path p = Path.of(values.required(key));
            return p.isAbsolute() ? p : home.resolve(p).normalize();
        } catch (InvalidPathException e) {
            throw values.refused(key, "must be a file path");
        }
    }
}
