package io.tokenhost.sandbox;

import io.tokenhost.itests.support.Installation;
import io.tokenhost.sandbox.cluster.SecureHdfs;
import io.tokenhost.sandbox.reader.ReaderProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tools/sandbox.sh}: a real KDC and a secure HDFS in this JVM, the assembled distribution with
 * the Hadoop bundle in its own JVM (Kerberos configuration is JVM-global, and the host must run
 * exactly as shipped, without the cluster's test jars), and a third JVM that reads a file with
 * nothing but the token file the receiver wrote, after every renewal.
 */
public final class Sandbox {

    private final SandboxOptions options;
    private int failures;

    private Sandbox(SandboxOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Path artifacts = Path.of(System.getProperty("tokenhost.sandbox.artifacts", "tools/sandbox/target/sandbox/artifacts")).toAbsolutePath();
        SandboxOptions options;
        try {
            options = SandboxOptions.parse(args, artifacts);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("sandbox: " + e.getMessage());
            }
            System.err.println(SandboxOptions.USAGE);
            System.exit(64);
            return;
        }
        int status;
        try {
            status = new Sandbox(options).run();
        } catch (Throwable e) {
            e.printStackTrace(); // standard error is the log file by now
            SandboxLog.last("FAILED: " + SandboxLog.firstLine(e) + " (details: "
                    + options.workDir().resolve("logs").resolve(SandboxLog.CLUSTER_LOG) + ")");
            status = 1;
        }
        System.exit(status);
    }

    /** A line of the sandbox's own on the terminal (the only lines there). */
    static void say(String text) {
        SandboxLog.say(text);
    }

    /**
     * Runs the sandbox; the verdict ({@code OK}, {@code FAILED ...}, or in interactive mode
     * {@code stopped}) is the terminal's last line, printed once the host, the cluster and the KDC
     * have stopped, so that nothing of their shutdown follows it.
     */
    int run() throws Exception {
        Path work = options.workDir();
        Path clusterLog = SandboxLog.redirect(work.resolve("logs"));
        say("starting a KDC and a Kerberos-secured HDFS in " + work + " (delegation tokens expire "
                + options.renewInterval().toSeconds() + " s after each renewal)");
        say("mini cluster logs: " + clusterLog);
        String verdict;
        Path hostLog;
        try (SecureHdfs hdfs = SecureHdfs.start(work.resolve("cluster"), options.renewInterval(), Duration.ofHours(8));
                Installation host = Installation.unpack(options.artifacts().resolve("tokenhost-distribution.tar.gz"),
                        work.resolve("host"))) {
            hostLog = host.log();
            say("KDC realm " + hdfs.realm() + ", HDFS " + hdfs.defaultFs() + ", file " + SecureHdfs.FILE
                    + " readable only by " + SecureHdfs.CLIENT);
            Path tokenFile = host.home.resolve("tokens/hadoop.token");
            say("token-only Hadoop clients need: HADOOP_CONF_DIR=" + hdfs.clientConfDir() + " (core-site.xml, hdfs-site.xml), "
                    + "-Djava.security.krb5.conf=" + hdfs.krb5Conf() + ", HADOOP_TOKEN_FILE_LOCATION=" + tokenFile
                    + "; long-running ones also -javaagent:" + host.home.resolve("clients/tokenhost-hadoop-agent.jar")
                    + " (docs/hadoop.md)");
            configure(host, hdfs, tokenFile, options.artifacts().resolve("tokenhost-hadoop-bundle.jar"));
            ReaderProcess reader = new ReaderProcess(hdfs.clientConfDir(), hdfs.krb5Conf(), work.resolve("reader"),
                    clusterLog.resolveSibling(SandboxLog.READER_LOG));
            verdict = options.interactive() ? interactive(host, tokenFile, reader) : nonInteractive(host, tokenFile, reader);
            say("stopping the host, the cluster and the KDC");
        }
        say("logs: mini cluster " + clusterLog + ", reader JVMs " + clusterLog.resolveSibling(SandboxLog.READER_LOG)
                + ", host " + hostLog);
        SandboxLog.last(verdict);
        return verdict.equals("OK") || options.interactive() ? 0 : 1;
    }

    private String interactive(Installation host, Path tokenFile, ReaderProcess reader) throws Exception {
        refusedWithoutToken(reader);
        say("starting Tokenhost with its shell here. Try: token:status   token:providers   token:receivers   lb");
        say("tokens land in " + tokenFile + "; the log is " + host.log() + "; 'stop 0' or Ctrl-D stops everything");
        host.startInteractive();
        TokenFileWatcher watcher = new TokenFileWatcher(tokenFile, reader, host.host());
        watcher.start();
        host.host().waitFor();
        watcher.stop();
        return "stopped";
    }

    private String nonInteractive(Installation host, Path tokenFile, ReaderProcess reader) throws Exception {
        refusedWithoutToken(reader);
        host.startHeadless();
        TokenFileWatcher watcher = new TokenFileWatcher(tokenFile, reader, host.host());
        watcher.start();
        host.awaitReady(Duration.ofSeconds(60));
        Instant deadline = Instant.now().plusSeconds(options.seconds().orElse(300));
        int wantedRenewals = options.renewals().orElse(Integer.MAX_VALUE);
        while (Instant.now().isBefore(deadline) && watcher.renewals() < wantedRenewals && host.host().isAlive()) {
            Thread.sleep(200);
        }
        watcher.stop();
        Installation.Result status = host.client("token:status");
        say("token:status says:\n" + status.stdout().stripTrailing());
        failures += watcher.failedReads();
        boolean renewed = watcher.renewals() >= Math.min(1, wantedRenewals)
                && (options.renewals().isEmpty() || watcher.renewals() >= wantedRenewals);
        say(String.format("summary: %d token version(s) (%d renewal(s)), %d read(s) with the token file, %d failed",
                watcher.versions(), watcher.renewals(), watcher.reads(), watcher.failedReads()));
        return !renewed || watcher.reads() == 0 || failures > 0 ? "FAILED (see " + host.log() + ")" : "OK";
    }

    private void refusedWithoutToken(ReaderProcess reader) throws Exception {
        ReaderProcess.Result refused = reader.read(SecureHdfs.FILE, Optional.empty());
        say("separate JVM without any token or Kerberos ticket: " + (refused.ok() ? "READ (unexpected!)" : "refused, as it should be"));
        if (refused.ok()) {
            failures++;
        }
    }

    private static void configure(Installation host, SecureHdfs hdfs, Path tokenFile, Path bundle) throws Exception {
        Map<String, String> provider = new LinkedHashMap<>();
        provider.put("security.kerberos.login.principal", hdfs.clientPrincipal());
        provider.put("security.kerberos.login.keytab", hdfs.clientKeytab().toString());
        provider.put("hadoop.conf.dir", hdfs.clientConfDir().toString());
        host.writeConfig("io.tokenhost.hadoop", provider);
        host.writeConfig("io.tokenhost.hadoop.receiver", Map.of("token-file", tokenFile.toString()));
        host.writeConfig("io.tokenhost.manager", Map.of("renewal.retry.backoff", "2s", "renewal.retry.backoff.max", "10s"));
        host.dropPlugin(bundle, "tokenhost-hadoop-bundle.jar");
        host.javaOpt("-Djava.security.krb5.conf=" + hdfs.krb5Conf());
        host.javaOpt("--add-opens=java.base/java.lang=ALL-UNNAMED");
    }

    static String fingerprint(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 6);
    }

    /** Watches the receiver's token file; after each new version, reads the file in a separate JVM. */
    private static final class TokenFileWatcher implements Runnable {
        private final Path tokenFile;
        private final ReaderProcess reader;
        private final Process host;
        private final Thread thread = new Thread(this, "sandbox-token-file-watcher");
        private volatile boolean running = true;
        private volatile int versions;
        private volatile int reads;
        private volatile int failedReads;

        TokenFileWatcher(Path tokenFile, ReaderProcess reader, Process host) {
            this.tokenFile = tokenFile;
            this.reader = reader;
            this.host = host;
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(70_000);
        }

        int versions() {
            return versions;
        }

        int renewals() {
            return Math.max(0, versions - 1);
        }

        int reads() {
            return reads;
        }

        int failedReads() {
            return failedReads;
        }

        @Override
        public void run() {
            String last = null;
            while (running && host.isAlive()) {
                try {
                    if (Files.exists(tokenFile)) {
                        String current = fingerprint(Files.readAllBytes(tokenFile));
                        if (!current.equals(last)) {
                            last = current;
                            versions++;
                            say((versions == 1 ? "tokens obtained" : "tokens renewed (#" + (versions - 1) + ")")
                                    + ": receiver wrote " + tokenFile.getFileName() + " (fingerprint " + current
                                    + ", " + java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)) + ")");
                            ReaderProcess.Result result = reader.read(SecureHdfs.FILE, Optional.of(tokenFile));
                            if (!host.isAlive()) {
                                return; // the host withdrew its tokens while stopping
                            }
                            reads++;
                            if (!result.ok()) {
                                failedReads++;
                            }
                            say("separate JVM with only HADOOP_TOKEN_FILE_LOCATION: "
                                    + (result.ok() ? "OK" : "FAILED (status " + result.status() + ", log " + reader.log() + ")") + "\n    "
                                    + result.output().replace("\n", "\n    "));
                        }
                    }
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    say("watcher: " + e);
                }
            }
        }
    }
}
