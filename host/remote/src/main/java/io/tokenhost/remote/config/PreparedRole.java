package io.tokenhost.remote.config;

import static io.tokenhost.remote.config.RemoteConfig.LISTEN_HOST;
import static io.tokenhost.remote.config.RemoteConfig.TLS_CA;
import static io.tokenhost.remote.config.RemoteConfig.TLS_CERT;
import static io.tokenhost.remote.config.RemoteConfig.TLS_KEY;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.remote.access.AccessPolicy;
import io.tokenhost.remote.ha.HaSettings;
import io.tokenhost.remote.manager.ListenOptions;
import io.tokenhost.remote.tls.LiveTls;
import io.tokenhost.remote.tls.TlsContexts;
import io.tokenhost.remote.worker.ConnectionOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The role a configuration asks for, ready to start: TLS files read, the listen address resolved,
 * the worker's id bound to its certificate. {@link #prepare} refuses a file that cannot be used
 * like any other bad value, naming its key, so that a configuration that could not start is refused
 * before the running role is touched. Sealed: a role is one of these kinds and nothing else.
 */
public sealed interface PreparedRole permits PreparedRole.Standalone, PreparedRole.Manager, PreparedRole.Worker {

    /** Nothing remote: providers and receivers in this host only. */
    record Standalone() implements PreparedRole {
    }

    /**
     * A manager listening for workers; one of several that elect a leader if {@code ha} is present.
     * {@code settings} are those it was prepared from (a change of only their access policy is
     * applied to the running manager instead of restarting it).
     */
    record Manager(ListenOptions listen, Optional<HaSettings> ha, RemoteSettings settings, Optional<LiveTls> tls)
            implements PreparedRole {

        /** Whether {@code other} differs from this at most in its access policy. */
        public boolean sameButAccess(Manager other) {
            return settings.withAccess(AccessPolicy.ALLOW_ALL).equals(other.settings.withAccess(AccessPolicy.ALLOW_ALL));
        }
    }

    /**
     * A worker subscribing to the manager, reconnecting after {@code backoff} doubling to {@code
     * backoffMax}; at start it restores tokens without a valid-until from a saved container at most
     * {@code restoreWithoutExpiryMaxAge} old.
     */
    record Worker(ConnectionOptions connection, Duration backoff, Duration backoffMax, double jitter,
            Duration restoreWithoutExpiryMaxAge, Optional<LiveTls> tls) implements PreparedRole {
    }

    /** "standalone", "manager" or "worker", as in the configuration. */
    default String name() {
        return getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** @throws ConfigurationRefusedException naming the key whose file or value cannot be used */
    static PreparedRole prepare(RemoteSettings s) {
        return switch (s.role()) {
            case STANDALONE -> new Standalone();
            case MANAGER -> {
                InetSocketAddress listen = new InetSocketAddress(s.listenHost(), s.listenPort());
                if (listen.isUnresolved()) {
                    throw new ConfigurationRefusedException(LISTEN_HOST, "must be an address or a host name that"
                            + " resolves", s.listenHost());
                }
                if (s.insecure()) {
                    yield new Manager(ListenOptions.insecurePlaintext(listen), s.ha(), s, Optional.empty());
                }
                LiveTls tls = LiveTls.server(s.caFile(), s.certFile(), s.keyFile(), s.crlFile(), s.denyListFile());
                yield new Manager(ListenOptions.mutualTls(listen, tls.context()), s.ha(), s, Optional.of(tls));
            }
            case WORKER -> {
                if (s.insecure()) {
                    yield worker(s, ConnectionOptions.insecurePlaintext(s.managers(), WorkerIdentity.resolve(s),
                            s.keepAlive()), Optional.empty());
                }
                LiveTls tls = LiveTls.client(s.caFile(), s.certFile(), s.keyFile()); // first: the identity reads tls.cert
                yield worker(s, ConnectionOptions.mutualTls(s.managers(), WorkerIdentity.resolve(s), tls.context(),
                        s.keepAlive()), Optional.of(tls));
            }
        };
    }

    private static Worker worker(RemoteSettings s, ConnectionOptions connection, Optional<LiveTls> tls) {
        return new Worker(connection, s.backoff(), s.backoffMax(), s.jitter(), s.restoreWithoutExpiryMaxAge(), tls);
    }
}
