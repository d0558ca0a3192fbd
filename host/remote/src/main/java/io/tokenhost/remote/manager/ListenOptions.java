package io.tokenhost.remote.manager;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a {@link ManagerServer} listens and whom it admits. Made with {@link #mutualTls} (what the
 * host uses) or, for tests only, {@link #insecurePlaintext}: plaintext is always asked for by name.
 *
 * @param listen the address to listen on (port 0: any free port)
 * @param tls the server's mutual-TLS context; empty only in insecure test mode
 * @param workerIdMustBeCertificateCn true (every host): a worker's hello is accepted only if the
 *     claimed id equals the subject CN of its client certificate; false only through {@link
 *     #acceptingAnyWorkerId()}. Without TLS there is no certificate, so no id is bound either way.
 */
public record ListenOptions(InetSocketAddress listen, Optional<SslContext> tls, boolean workerIdMustBeCertificateCn) {

    public ListenOptions {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(tls, "tls");
    }

    /** Mutual TLS, every worker bound to its certificate's CN. */
    public static ListenOptions mutualTls(InetSocketAddress listen, SslContext tls) {
        return new ListenOptions(listen, Optional.of(tls), true);
    }

    /** Plaintext without authentication: any client may read the tokens. Tests only ({@code insecure=true}). */
    public static ListenOptions insecurePlaintext(InetSocketAddress listen) {
        return new ListenOptions(listen, Optional.empty(), true);
    }

    /**
     * Accepts any worker id from a client with a trusted certificate. Only for the fan-out
     * benchmark, whose thousands of simulated workers share one certificate; a host never does this.
     */
    public ListenOptions acceptingAnyWorkerId() {
        return new ListenOptions(listen, tls, false);
    }
}
