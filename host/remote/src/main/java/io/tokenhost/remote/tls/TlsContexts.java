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
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;

/**
 * Mutual-TLS contexts from PEM files: the manager requires a client certificate issued by the
 * configured CA; the worker presents its own and trusts only that CA for the manager.
 */
public final class TlsContexts {

    private TlsContexts() {
    }

    /** A manager's context from these files, without revocation; see {@link LiveTls#server} for one that reloads. */
    public static SslContext server(Path ca, Path cert, Path key) throws IOException {
        try {
            return LiveTls.server(ca, cert, key, java.util.Optional.empty(), java.util.Optional.empty()).context();
        } catch (io.tokenhost.api.ConfigurationRefusedException e) {
            throw new IOException("cannot build the TLS server context: " + e.getMessage(), e);
        }
    }

    /**
     * A worker's context: presents {@code cert} (with {@code key}) and trusts only {@code ca} for the
     * manager; see {@link LiveTls#client} for one that reloads.
     */
    public static SslContext client(Path ca, Path cert, Path key) throws IOException {
        try {
            return LiveTls.client(ca, cert, key).context();
        } catch (io.tokenhost.api.ConfigurationRefusedException e) {
            throw new IOException("cannot build the TLS client context: " + e.getMessage(), e);
        }
    }

    /** A client that presents no certificate at all (tests: the manager must refuse it). */
    public static SslContext anonymousClient(Path ca) throws IOException {
        TransportLogging.quiet();
        readable(ca);
        return client(ca, builder -> builder, String.valueOf(ca));
    }

    private static SslContext client(Path ca, UnaryOperator<SslContextBuilder> identity, String files)
            throws IOException {
        try {
            return identity.apply(GrpcSslContexts.forClient().trustManager(ca.toFile())).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot build the TLS client context from " + files + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private static void check(Path ca, Path cert, Path key) throws IOException {
        readable(ca);
        readable(cert);
        readable(key);
        ownerOnly(key);
    }

    /** @throws IOException naming the key file if its group or others have any permission on it */
    public static void ownerOnly(Path key) throws IOException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(key);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new IOException("private key " + key + " is readable by others: chmod 600 it");
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }

    /** @throws IOException naming the file if it does not exist or cannot be read */
    public static void readable(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("TLS file " + file + " does not exist or is not readable");
        }
    }
}
