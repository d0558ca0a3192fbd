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
    record Manager(ListenOptions listen, Optional<HaSettings> ha, RemoteSettings settings) implements PreparedRole {

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
            Duration restoreWithoutExpiryMaxAge) implements PreparedRole {
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
                yield new Manager(s.insecure() ? ListenOptions.insecurePlaintext(listen)
                        : ListenOptions.mutualTls(listen, tls(s, TlsContexts::server)), s.ha(), s);
            }
            case WORKER -> {
                if (s.insecure()) {
                    yield worker(s, ConnectionOptions.insecurePlaintext(s.managers(), WorkerIdentity.resolve(s),
                            s.keepAlive()));
                }
                SslContext tls = tls(s, TlsContexts::client); // the files first: the identity reads tls.cert
                yield worker(s, ConnectionOptions.mutualTls(s.managers(), WorkerIdentity.resolve(s), tls,
                        s.keepAlive()));
            }
        };
    }

    private static Worker worker(RemoteSettings s, ConnectionOptions connection) {
        return new Worker(connection, s.backoff(), s.backoffMax(), s.jitter(), s.restoreWithoutExpiryMaxAge());
    }

    /** Either end's context, after checking each file on its own so that a refusal names its key. */
    private static SslContext tls(RemoteSettings s, ContextBuilder builder) {
        readable(TLS_CA, s.caFile());
        readable(TLS_CERT, s.certFile());
        readable(TLS_KEY, s.keyFile());
        try {
            TlsContexts.ownerOnly(s.keyFile());
        } catch (IOException e) {
            throw new ConfigurationRefusedException(TLS_KEY, "must be readable by its owner only (" + e.getMessage() + ")",
                    null);
        }
        try {
            return builder.build(s.caFile(), s.certFile(), s.keyFile());
        } catch (IOException e) {
            throw new ConfigurationRefusedException(TLS_CERT, "must make a TLS context with " + TLS_KEY + " and " + TLS_CA
                    + " (" + e.getMessage() + ")", null);
        }
    }

    private static void readable(String key, Path file) {
        try {
            TlsContexts.readable(file);
        } catch (IOException e) {
            throw new ConfigurationRefusedException(key, "must be a readable file (" + e.getMessage() + ")", null);
        }
    }

    /** {@link TlsContexts#server} or {@link TlsContexts#client}. */
    @FunctionalInterface
    interface ContextBuilder {
        SslContext build(Path ca, Path cert, Path key) throws IOException;
    }
}
