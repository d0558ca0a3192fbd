package io.tokenhost.itests.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Mutual TLS for manager and worker processes in tests: development certificates from an
 * installation's own {@code bin/tokenhost-dev-certs}, the {@code tls.*} keys that name them, and a
 * free port for a manager to listen on.
 */
public final class DevCertificates {

    private DevCertificates() {
    }

    /**
     * Runs {@code bin/tokenhost-dev-certs DIR NAME...} of the installation: a CA named
     * {@code caName} (unless {@code dir} has one) and one certificate and owner-only key per name
     * (the name is the certificate's CN, so a worker's name is its id).
     */
    public static void create(Installation installation, Path dir, String caName, String... names)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(installation.home.resolve("bin/tokenhost-dev-certs").toString(),
                dir.toString()));
        command.addAll(List.of(names));
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().put("CA_NAME", caName);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(command + " failed");
        }
        for (String name : names) {
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name + ".key")));
            if (!mode.equals("rw-------")) {
                throw new IOException("the key of " + name + " is " + mode + ", not owner-only");
            }
        }
    }

    /** {@code tls.ca}, {@code tls.cert} and {@code tls.key} for node {@code name} with certificates in {@code dir}. */
    public static Map<String, String> tlsKeys(Path dir, String name) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("tls.ca", dir.resolve("ca.crt").toString());
        keys.put("tls.cert", dir.resolve(name + ".crt").toString());
        keys.put("tls.key", dir.resolve(name + ".key").toString());
        return keys;
    }

    /** A port nothing listens on right now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
