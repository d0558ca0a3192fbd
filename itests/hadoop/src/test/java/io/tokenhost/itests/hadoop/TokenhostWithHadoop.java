package io.tokenhost.itests.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import io.tokenhost.itests.support.SecretForms;
import io.tokenhost.sandbox.cluster.SecureHdfs;
import io.tokenhost.sandbox.reader.ReaderProcess;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;

/**
 * One unpacked distribution with the Hadoop bundle in {@code plugins/}, configured for a
 * {@link SecureHdfs}, running headless as its own process (a real Felix); plus the token-only
 * reader JVM.
 */
final class TokenhostWithHadoop implements AutoCloseable {

    static final Path ARTIFACTS = Path.of(System.getProperty("tokenhost.sandbox.artifacts", "target/artifacts")).toAbsolutePath();
    static final Path IT_DIR = Path.of(System.getProperty("tokenhost.it.dir", "target/it")).toAbsolutePath();

    final SecureHdfs hdfs;
    final Installation host;
    final Path tokenFile;
    final ReaderProcess reader;

    private TokenhostWithHadoop(SecureHdfs hdfs, Installation host, Path dir, Path clientConfDir, Path krb5Conf) {
        this.hdfs = hdfs;
        this.host = host;
        this.tokenFile = host.home.resolve("tokens/hadoop.token");
        this.reader = new ReaderProcess(clientConfDir, krb5Conf, dir.resolve("reader"));
    }

    /** Unpacks a copy under target/it/{name}, writes the receiver and manager configuration, drops the bundle. */
    static TokenhostWithHadoop prepare(SecureHdfs hdfs, String name) throws Exception {
        return prepare(hdfs, name, hdfs.clientConfDir(), hdfs.krb5Conf());
    }

    /**
     * As {@link #prepare(SecureHdfs, String)} for clusters other than one {@link SecureHdfs}: the
     * reader uses {@code clientConfDir}, host and reader {@code krb5Conf}.
     */
    static TokenhostWithHadoop prepare(String name, Path clientConfDir, Path krb5Conf) throws Exception {
        return prepare(null, name, clientConfDir, krb5Conf);
    }

    private static TokenhostWithHadoop prepare(SecureHdfs hdfs, String name, Path clientConfDir, Path krb5Conf) throws Exception {
        Path dir = IT_DIR.resolve(name);
        Installation host = Installation.unpack(ARTIFACTS.resolve("tokenhost-distribution.tar.gz"), dir.resolve("host"));
        TokenhostWithHadoop t = new TokenhostWithHadoop(hdfs, host, dir, clientConfDir, krb5Conf);
        host.writeConfig("io.tokenhost.hadoop.receiver", Map.of("token-file", t.tokenFile.toString()));
        t.managerKeys(Map.of());
        host.dropPlugin(ARTIFACTS.resolve("tokenhost-hadoop-bundle.jar"), "tokenhost-hadoop-bundle.jar");
        host.javaOpt("-Djava.security.krb5.conf=" + krb5Conf);
        host.javaOpt("--add-opens=java.base/java.lang=ALL-UNNAMED");
        return t;
    }

    /** Writes the manager configuration: short retry backoffs without jitter, plus {@code extra} keys. */
    void managerKeys(Map<String, String> extra) throws Exception {
        Map<String, String> keys = new LinkedHashMap<>(Map.of("renewal.retry.backoff", "1s", "renewal.retry.backoff.max", "3s",
                "renewal.retry.jitter", "0"));
        keys.putAll(extra);
        host.writeConfig("io.tokenhost.manager", keys);
    }

    /** The provider configuration a keytab login needs, plus extra entries. */
    Map<String, String> keytabConfig(Map<String, String> extra) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("security.kerberos.login.principal", hdfs.clientPrincipal());
        config.put("security.kerberos.login.keytab", hdfs.clientKeytab().toString());
        config.put("hadoop.conf.dir", hdfs.clientConfDir().toString());
        config.putAll(extra);
        return config;
    }

    void configureProvider(Map<String, String> config) throws Exception {
        host.writeConfig("io.tokenhost.hadoop", config);
    }

    TokenhostWithHadoop start() throws Exception {
        host.startHeadless();
        host.awaitReady(Duration.ofSeconds(60));
        return this;
    }

    /** The {@code hadoopfs} line of {@code token:status}. */
    String statusLine() throws Exception {
        return statusLine("hadoopfs");
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

    /** Polls {@code token:status} until its hadoopfs line matches; fails with the last line after the timeout. */
    String awaitStatus(Predicate<String> condition, Duration timeout, String what) throws Exception {
        return awaitStatus("hadoopfs", condition, timeout, what);
    }

    /** Polls {@code token:status} until the line of the service matches; fails with the last line after the timeout. */
    String awaitStatus(String service, Predicate<String> condition, Duration timeout, String what) throws Exception {
        return showingTheLogOnTimeout(() -> Await.atMost(timeout).every(Duration.ofMillis(250))
                .until("token:status to show " + service + " " + what, () -> statusLine(service), condition));
    }

    /** Polls the host's log until it contains the text; fails with the log's tail after the timeout. */
    void awaitLog(String text, Duration timeout) throws Exception {
        showingTheLogOnTimeout(() -> Await.atMost(timeout).every(Duration.ofMillis(250))
                .until("the log to say: " + text, () -> Installation.read(host.log()), log -> log.contains(text)));
    }

    /** Waits until the token file exists with content different from {@code previous}; returns its bytes. */
    byte[] awaitTokenFile(byte[] previous, Duration timeout) throws Exception {
        return showingTheLogOnTimeout(() -> Await.atMost(timeout).value("a new token file", () -> {
            if (!Files.exists(tokenFile)) {
                return Optional.empty();
            }
            byte[] now = Files.readAllBytes(tokenFile);
            return previous == null || !Arrays.equals(previous, now) ? Optional.of(now) : Optional.empty();
        }));
    }

    /** Runs a wait; if it runs out, its failure also shows the end of the host's log. */
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
        assertThat(credentials.numberOfTokens()).isPositive();
        return credentials;
    }

    static String tail(Path file) throws Exception {
        String text = Installation.read(file);
        return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
    }

    /**
     * No token identifier or password of these versions, nor a version itself, appears in the file in
     * any form {@link SecretForms} knows (raw, hex, base64 at any alignment: Hadoop's URL-safe
     * encoding of a token is base64 of bytes that hold both).
     */
    static void assertNoSecretIn(Path log, List<byte[]> versions) throws Exception {
        assertThat(Files.readAllBytes(log)).as("log %s", log).isNotEmpty();
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
