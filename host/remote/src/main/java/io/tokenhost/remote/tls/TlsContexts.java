package io.tokenhost.remote.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.tokenhost.remote.wire.TransportLogging;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Mutual-TLS contexts from PEM files: the manager requires a client certificate issued by the
 * configured CA; the worker presents its own and trusts only that CA for the manager.
 */
public final class TlsContexts {

    private TlsContexts() {
    }

    public static SslContext server(Path ca, Path cert, Path key) throws IOException {
        TransportLogging.quiet();
        check(ca, cert, key);
        try {
            return GrpcSslContexts.configure(SslContextBuilder.forServer(cert.toFile(), key.toFile()))
                    .trustManager(RefusalLoggingTrustManager.forCa(ca))
                    .clientAuth(ClientAuth.REQUIRE)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot build the TLS server context from " + cert + " / " + key + " / " + ca
                    + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /** A client context; {@code cert} and {@code key} may be null for a client without a certificate. */
    public static SslContext client(Path ca, Path cert, Path key) throws IOException {
        TransportLogging.quiet();
        if (cert != null) {
            check(ca, cert, key);
        } else {
            readable(ca);
        }
        try {
            SslContextBuilder builder = GrpcSslContexts.forClient().trustManager(ca.toFile());
            if (cert != null) {
                builder.keyManager(cert.toFile(), key.toFile());
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot build the TLS client context from " + cert + " / " + key + " / " + ca
                    + ": " + e.getClass().getSimpleName(), e);
        }
    }

    private static void check(Path ca, Path cert, Path key) throws IOException {
        readable(ca);
        readable(cert);
        readable(key);
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(key);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new IOException("private key " + key + " is readable by others: chmod 600 it");
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }

    private static void readable(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("TLS file " + file + " does not exist or is not readable");
        }
    }
}
