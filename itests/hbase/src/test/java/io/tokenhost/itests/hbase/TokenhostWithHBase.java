package io.tokenhost.itests.hbase;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import io.tokenhost.itests.support.SecretForms;
import io.tokenhost.sandbox.hbase.HostSetup;
import io.tokenhost.sandbox.hbase.ReaderJvm;
import io.tokenhost.sandbox.hbase.SecureHBase;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;

/**
 * One unpacked distribution with the Hadoop bundle and the HBase bundle in {@code plugins/}, both
 * providers logging in as {@code client} from its keytab, and the Hadoop receiver merging
 * {@code hadoopfs} and {@code hbase} into one token file; running headless as its own process.
 */
final class TokenhostWithHBase implements AutoCloseable {

    static final Path ARTIFACTS = Path.of(System.getProperty("tokenhost.artifacts", "target/artifacts")).toAbsolutePath();
    static final Path IT_DIR = Path.of(System.getProperty("tokenhost.it.dir", "target/it")).toAbsolutePath();

    final SecureHBase cluster;
    final Installation host;
    final Path tokenFile;
    final ReaderJvm reader;

    private TokenhostWithHBase(SecureHBase cluster, Installation host, Path dir) {
        this.cluster = cluster;
        this.host = host;
        this.tokenFile = host.home.resolve("tokens/hadoop.token");
        this.reader = new ReaderJvm(System.getProperty("java.class.path"), cluster.clientConfDir(), cluster.krb5Conf(),
                dir.resolve("reader"), dir.resolve("reader/reader.log"));
    }

    /** Unpacks a copy under target/it/{name}, drops both bundles, writes the receiver, manager and provider configurations. */
    static TokenhostWithHBase prepare(SecureHBase cluster, String name) throws Exception {
        return prepare(cluster, name, Map.of());
    }

    /** As {@link #prepare(SecureHBase, String)}, with further manager keys (e.g. {@code renewal.time-ratio}). */
    static TokenhostWithHBase prepare(SecureHBase cluster, String name, Map<String, String> managerKeys) throws Exception {
        Path dir = IT_DIR.resolve(name);
        Installation host = Installation.unpack(ARTIFACTS.resolve("tokenhost-distribution.tar.gz"), dir.resolve("host"));
        TokenhostWithHBase t = new TokenhostWithHBase(cluster, host, dir);
        Map<String, String> manager = new java.util.LinkedHashMap<>(Map.of("renewal.retry.backoff", "1s",
                "renewal.retry.backoff.max", "3s", "renewal.retry.jitter", "0", "obtain.timeout", "40s"));
        manager.putAll(managerKeys);
        HostSetup.configure(host, cluster, t.tokenFile, ARTIFACTS, manager);
        return t;
    }

    /** The hbase provider's keytab login and the cluster's settings (ZooKeeper through the switch), plus extra entries. */
    Map<String, String> hbaseConfig(Map<String, String> extra) {
        return HostSetup.hbaseConfig(cluster, extra);
    }

    TokenhostWithHBase start() throws Exception {
        host.startHeadless();
        host.awaitReady(Duration.ofSeconds(60));
        return this;
    }

    /** The line of {@code token:status} for one service. */
    String statusLine(String service) throws Exception {
        Installation.Result result = host.client("token:status");
        for (String line : result.stdout().split("\n")) {
            if (line.startsWith(service + " ")) {
                return line;
            }
        }
        return "(no " + service + " line) " + result;
    }

    /** Polls {@code token:status} until the line of the service matches; fails with the last line and the log's tail. */
    String awaitStatus(String service, Predicate<String> condition, Duration timeout, String what) throws Exception {
        return showingTheLogOnTimeout(() -> Await.atMost(timeout).every(Duration.ofMillis(250))
                .until("token:status to show " + service + " " + what, () -> statusLine(service), condition));
    }

    /** Waits until the token file holds tokens that differ from {@code previous} and pass the check; returns its bytes. */
    byte[] awaitTokenFile(byte[] previous, Predicate<Credentials> check, Duration timeout) throws Exception {
        return showingTheLogOnTimeout(() -> Await.atMost(timeout).value("a new token file", () -> {
            if (!Files.exists(tokenFile)) {
                return Optional.empty();
            }
            byte[] now = Files.readAllBytes(tokenFile);
            return (previous == null || !Arrays.equals(previous, now)) && check.test(credentials(now))
                    ? Optional.of(now) : Optional.empty();
        }));
    }

    <T> T showingTheLogOnTimeout(Callable<T> wait) throws Exception {
        try {
            return wait.call();
        } catch (AssertionError timeout) {
            throw new AssertionError(timeout.getMessage() + "\nlog:\n" + tail(host.log()), timeout);
        }
    }

    static Credentials credentials(byte[] tokenStorage) throws Exception {
        Credentials credentials = new Credentials();
        credentials.readTokenStorageStream(new DataInputStream(new ByteArrayInputStream(tokenStorage)));
        return credentials;
    }

    /** The token of a kind in token-storage bytes, if there is one. */
    static Optional<Token<? extends TokenIdentifier>> token(byte[] tokenStorage, String kind) throws Exception {
        return credentials(tokenStorage).getAllTokens().stream().filter(t -> t.getKind().toString().equals(kind)).findFirst();
    }

    static String tail(Path file) throws Exception {
        String text = Installation.read(file);
        return text.length() > 8000 ? text.substring(text.length() - 8000) : text;
    }

    /**
     * No token identifier or password of these versions, nor a version itself, appears in the file in
     * any form {@link SecretForms} knows (raw, hex, base64 at any alignment: Hadoop's URL-safe
     * encoding of a token is base64 of bytes that hold both).
     */
    static void assertNoSecretIn(Path log, List<byte[]> versions) throws Exception {
        if (Files.size(log) == 0) {
            throw new AssertionError("empty log " + log);
        }
        assertNoSecretInOutput(log, versions);
    }

    /** As {@link #assertNoSecretIn}, for a host's stdout and stderr, which may be empty (the host logs to its file). */
    static void assertNoSecretInOutput(Path file, List<byte[]> versions) throws Exception {
        byte[] content = Files.readAllBytes(file);
        for (byte[] version : versions) {
            SecretForms.assertAbsent(file + " (a token file)", content, version);
            for (Token<? extends TokenIdentifier> token : credentials(version).getAllTokens()) {
                SecretForms.assertAbsent(file + " (identifier of " + token.getKind() + ")", content, token.getIdentifier());
                SecretForms.assertAbsent(file + " (password of " + token.getKind() + ")", content, token.getPassword());
            }
        }
    }

    @Override
    public void close() throws Exception {
        host.close();
    }
}
