package io.tokenhost.remote.worker;

import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.Optional;

/**
 * How a {@link WorkerClient} reaches the manager: one address, or several managers of which one
 * leads (high availability), tried in turn and followed where a standby says the leader is. Made with {@link #mutualTls} (what the host
 * uses) or, for tests only, {@link #insecurePlaintext}: plaintext is always asked for by name. The
 * defaults are the host's; the two {@code with...} options exist for the fan-out benchmark, which
 * runs thousands of clients in one JVM.
 *
 * @param tls the client's mutual-TLS context; empty only in insecure test mode
 * @param keepAlive the HTTP/2 ping interval that notices a silently dead manager
 * @param sharedEventLoops empty (every host): the client has its own transport and its callbacks
 *     run on gRPC's executor, so a slow sink never stalls the transport; present: the client runs
 *     on this event loop group, callbacks included
 * @param connectionEventsLogged true (every host): connects, losses and applied versions are logged
 *     at INFO/WARN/ERROR; false: at DEBUG
 */
public record ConnectionOptions(List<ManagerAddress> managers, String workerId, Optional<SslContext> tls,
        Duration keepAlive, Optional<EventLoopGroup> sharedEventLoops, boolean connectionEventsLogged) {

    public ConnectionOptions {
        managers = List.copyOf(managers);
        if (managers.isEmpty()) {
            throw new IllegalArgumentException("at least one manager address");
        }
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(sharedEventLoops, "sharedEventLoops");
    }

    /** Mutual TLS: this client presents the certificate in {@code tls} and trusts only its CA. */
    public static ConnectionOptions mutualTls(String host, int port, String workerId, SslContext tls, Duration keepAlive) {
        return mutualTls(List.of(new ManagerAddress(host, port)), workerId, tls, keepAlive);
    }

    /** Mutual TLS to several managers, of which one leads. */
    public static ConnectionOptions mutualTls(List<ManagerAddress> managers, String workerId, SslContext tls,
            Duration keepAlive) {
        return new ConnectionOptions(managers, workerId, Optional.of(tls), keepAlive, Optional.empty(), true);
    }

    /** Plaintext without authentication: tokens travel in the clear. Tests only ({@code insecure=true}). */
    public static ConnectionOptions insecurePlaintext(String host, int port, String workerId, Duration keepAlive) {
        return insecurePlaintext(List.of(new ManagerAddress(host, port)), workerId, keepAlive);
    }

    /** Plaintext to several managers. Tests only. */
    public static ConnectionOptions insecurePlaintext(List<ManagerAddress> managers, String workerId, Duration keepAlive) {
        return new ConnectionOptions(managers, workerId, Optional.empty(), keepAlive, Optional.empty(), true);
    }

    /** Benchmark only: run on a shared event loop group (callbacks too) instead of an own transport. */
    public ConnectionOptions withSharedEventLoops(EventLoopGroup group) {
        return new ConnectionOptions(managers, workerId, tls, keepAlive, Optional.of(group), connectionEventsLogged);
    }

    /** Benchmark only: log connection events at DEBUG, so that thousands of clients do not flood the log. */
    public ConnectionOptions withConnectionEventsAtDebug() {
        return new ConnectionOptions(managers, workerId, tls, keepAlive, sharedEventLoops, false);
    }

    /** {@code host:port} of every manager, comma-separated. */
    public String address() {
        return managers.stream().map(ManagerAddress::toString).collect(Collectors.joining(","));
    }
}
