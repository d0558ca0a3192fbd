package io.tokenhost.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The one way tests (and the test tools) make TLS certificates: the distribution's own {@code
 * bin/tokenhost-dev-certs} (real openssl), so that what the tests trust is what an operator gets. A
 * failure names the script's exit status and output.
 */
public final class DevCerts {

    /** Where the script lives in a source checkout, from the repository's root. */
    public static final String SCRIPT_IN_SOURCES = "distribution/src/main/dist/bin/tokenhost-dev-certs";

    /** Certificates made once per JVM by {@link #cached}: key "CA name|names" → the directory holding them. */
    private static final Map<String, Path> MADE = new ConcurrentHashMap<>();

    private DevCerts() {
    }

    /**
     * Runs {@code script DIR NAME...}: a development CA with CN {@code caName} in {@code dir}
     * (unless one is there), and {@code NAME.key}/{@code NAME.crt} for every name, keys owner-only.
     *
     * @return {@code dir}
     */
    public static Path create(Path script, Path dir, String caName, String... names) throws IOException,
            InterruptedException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of("sh", script.toAbsolutePath().toString(), dir.toString()));
        command.addAll(List.of(names));
        Path output = dir.resolve(".dev-certs.out");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("CA_NAME", caName);
        Process p = pb.start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String said = Files.readString(output);
        Files.delete(output);
        if (!ended || p.exitValue() != 0) {
            throw new IllegalStateException(script + " " + String.join(" ", names) + (ended ? " exited with status "
                    + p.exitValue() : " did not end within 120 s") + ": " + said.strip());
        }
        return dir;
    }

    /**
     * As {@link #create}, with the script of an unpacked installation, for its manager and worker
     * processes; every key is checked to be owner-only.
     */
    public static Path create(Installation installation, Path dir, String caName, String... names)
            throws IOException, InterruptedException {
        create(installation.home.resolve("bin/tokenhost-dev-certs"), dir, caName, names);
        for (String name : names) {
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name + ".key")));
            if (!mode.equals("rw-------")) {
                throw new IllegalStateException("the key of " + name + " is " + mode + ", not owner-only");
            }
        }
        return dir;
    }

    /** {@code tls.ca}, {@code tls.cert} and {@code tls.key} for node {@code name} with certificates in {@code dir}. */
    public static Map<String, String> tlsKeys(Path dir, String name) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("tls.ca", dir.resolve("ca.crt").toString());
        keys.put("tls.cert", dir.resolve(name + ".crt").toString());
        keys.put("tls.key", dir.resolve(name + ".key").toString());
        return keys;
    }

    /**
     * As {@link #create}, but the certificates are made once per JVM for a CA name and list of names,
     * and copied (permissions kept) into {@code dir}: unit tests run many times over (mutation
     * testing) without running openssl every time. Two calls with the same CA name share the CA.
     */
    public static Path cached(Path script, Path dir, String caName, String... names) throws IOException,
            InterruptedException {
        String key = caName + "|" + String.join(",", names);
        Path made = MADE.get(key);
        if (made == null) {
            Path fresh = Files.createTempDirectory("tokenhost-dev-certs");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(fresh)));
            made = create(script, fresh.resolve("certs"), caName, names);
            Path raced = MADE.putIfAbsent(key, made);
            made = raced == null ? made : raced;
        }
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(made)) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName().toString()), StandardCopyOption.COPY_ATTRIBUTES,
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    /**
     * The script in the source checkout that holds {@code anchor}'s classes (found by walking up from
     * their location, so that it does not depend on the working directory).
     */
    public static Path scriptInSources(Class<?> anchor) {
        try {
            Path from = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = from; dir != null; dir = dir.getParent()) {
                Path script = dir.resolve(SCRIPT_IN_SOURCES);
                if (Files.isRegularFile(script)) {
                    return script;
                }
            }
            throw new IllegalStateException("no " + SCRIPT_IN_SOURCES + " above " + from);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory left behind
        }
    }
}
