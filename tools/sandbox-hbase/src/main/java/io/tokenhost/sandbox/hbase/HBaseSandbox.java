package io.tokenhost.sandbox.hbase;

import io.tokenhost.itests.support.Installation;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tools/sandbox.sh --hbase [--renewals N]}: a KDC, a secure HDFS and a secure HBase (with the
 * {@code TokenProvider} coprocessor and ACLs) in this JVM, the distribution with the Hadoop and the
 * HBase bundles in its own JVM writing one merged token file, and after every change of that file a
 * separate JVM that reads an HDFS file and an HBase row with nothing but it. HBase tokens live
 * {@code --token-lifetime} seconds (default 30, non-interactive 16), so that the host re-obtains
 * them within minutes. Only the sandbox's own lines reach the terminal; the clusters' logs go to
 * {@code <work>/logs/minicluster.log} (owner-only).
 */
public final class HBaseSandbox {

    private static final PrintStream TERMINAL = System.out;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private HBaseSandbox() {
    }

    static void say(String text) {
        TERMINAL.println("[sandbox " + LocalTime.now().format(TIME) + "] " + text);
        TERMINAL.flush();
    }

    public static void main(String[] args) throws Exception {
        Integer renewals = null;
        int lifetime = 0;
        Path artifacts = Path.of(System.getProperty("tokenhost.sandbox.artifacts", "tools/sandbox-hbase/target/sandbox-hbase/artifacts"))
                .toAbsolutePath();
        Path work = artifacts.getParent().resolve("run");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--renewals" -> renewals = Integer.parseInt(args[++i]);
                case "--token-lifetime" -> lifetime = Integer.parseInt(args[++i]);
                case "--work" -> work = Path.of(args[++i]).toAbsolutePath();
                default -> {
                    System.err.println("usage: tools/sandbox.sh --hbase [--renewals N] [--token-lifetime SECONDS] [--work DIR]");
                    System.exit(64);
                }
            }
        }
        Duration tokenLifetime = Duration.ofSeconds(lifetime > 0 ? lifetime : renewals == null ? 30 : 16);
        Path logs = Files.createDirectories(work.resolve("logs"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwx------"));
        Path clusterLog = logs.resolve("minicluster.log");
        Files.deleteIfExists(clusterLog);
        Files.createFile(clusterLog, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        PrintStream toLog = new PrintStream(new FileOutputStream(clusterLog.toFile(), true), true, "UTF-8");
        System.setOut(toLog);
        System.setErr(toLog);
        String verdict;
        try {
            verdict = run(work, artifacts, clusterLog, renewals, tokenLifetime);
        } catch (Throwable e) {
            e.printStackTrace();
            verdict = "FAILED: " + e.getClass().getSimpleName() + ": " + e.getMessage() + " (details: " + clusterLog + ")";
        }
        say(verdict);
        Runtime.getRuntime().halt(verdict.equals("OK") || renewals == null ? 0 : 1);
    }

    private static String run(Path work, Path artifacts, Path clusterLog, Integer renewals, Duration tokenLifetime) throws Exception {
        say("starting a KDC, a Kerberos-secured HDFS and a Kerberos-secured HBase in " + work + " (HBase tokens expire "
                + tokenLifetime.toSeconds() + " s after they are issued); mini cluster logs: " + clusterLog);
        try (SecureHBase cluster = SecureHBase.start(work.resolve("cluster"), tokenLifetime);
                Installation host = Installation.unpack(artifacts.resolve("tokenhost-distribution.tar.gz"), work.resolve("host"))) {
            Path tokenFile = host.home.resolve("tokens/hadoop.token");
            say("KDC realm " + cluster.realm() + "; HDFS file " + SecureHBase.FILE + " and HBase table " + SecureHBase.TABLE
                    + " readable only by " + SecureHBase.CLIENT);
            say("token-only clients need: the directory " + cluster.clientConfDir() + " (core-site.xml, hbase-site.xml), "
                    + "-Djava.security.krb5.conf=" + cluster.krb5Conf() + ", HADOOP_TOKEN_FILE_LOCATION=" + tokenFile);
            HostSetup.configure(host, cluster, tokenFile, artifacts, Map.of("renewal.retry.backoff", "2s",
                    "renewal.retry.backoff.max", "10s"));
            ReaderJvm reader = new ReaderJvm(System.getProperty("java.class.path"), cluster.clientConfDir(), cluster.krb5Conf(),
                    work.resolve("reader"), clusterLog.resolveSibling("reader.log"));
            ReaderJvm.Result refused = reader.read(Optional.empty());
            boolean refusedOk = !refused.readHdfs() && !refused.readHBase();
            say("separate JVM without any token or Kerberos ticket: " + (refusedOk ? "refused (HDFS and HBase), as it should be"
                    : "READ (unexpected!) " + refused.output()));
            if (renewals == null) {
                say("starting Tokenhost with its shell here. Try: token:status   hbase:user   hadoop:user   token:receivers");
                host.startInteractive();
            } else {
                host.startHeadless();
                host.awaitReady(Duration.ofSeconds(60));
            }
            Watch watch = new Watch(tokenFile, reader, host.host());
            Instant deadline = Instant.now().plusSeconds(600);
            while (host.host().isAlive() && (renewals == null || watch.hbaseTokens - 1 < renewals) && Instant.now().isBefore(deadline)) {
                watch.poll();
                Thread.sleep(250);
            }
            if (renewals == null) {
                return "stopped";
            }
            say("token:status says:\n" + host.client("token:status").stdout().stripTrailing());
            say(String.format("summary: %d token file version(s), %d HBase token(s) (%d re-obtained before expiry), %d HDFS"
                    + " read(s) and %d HBase read(s) with the token file, %d failed", watch.versions, watch.hbaseTokens,
                    Math.max(0, watch.hbaseTokens - 1), watch.hdfsReads, watch.hbaseReads, watch.failed));
            boolean ok = refusedOk && watch.hbaseTokens - 1 >= renewals && watch.failed == 0 && watch.hbaseReads > 0 && watch.hdfsReads > 0;
            return ok ? "OK" : "FAILED (see " + host.log() + ")";
        }
    }

    /** After each new version of the token file, reads HDFS and HBase with it in a separate JVM. */
    private static final class Watch {
        private final Path tokenFile;
        private final ReaderJvm reader;
        private final Process host;
        private String last;
        private final java.util.Set<String> seenHBaseTokens = new java.util.HashSet<>();
        int versions;
        int hbaseTokens;
        int hdfsReads;
        int hbaseReads;
        int failed;

        Watch(Path tokenFile, ReaderJvm reader, Process host) {
            this.tokenFile = tokenFile;
            this.reader = reader;
            this.host = host;
        }

        void poll() throws Exception {
            if (!Files.exists(tokenFile)) {
                return;
            }
            byte[] bytes = Files.readAllBytes(tokenFile);
            String current = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 6);
            if (current.equals(last)) {
                return;
            }
            last = current;
            versions++;
            org.apache.hadoop.security.Credentials credentials = new org.apache.hadoop.security.Credentials();
            try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
                credentials.readTokenStorageStream(in);
            }
            StringBuilder kinds = new StringBuilder();
            String hbaseToken = null;
            for (org.apache.hadoop.security.token.Token<?> token : credentials.getAllTokens()) {
                kinds.append(kinds.length() == 0 ? "" : " + ").append(token.getKind());
                if (token.getKind().toString().equals("HBASE_AUTH_TOKEN")) {
                    org.apache.hadoop.hbase.security.token.AuthenticationTokenIdentifier id =
                            new org.apache.hadoop.hbase.security.token.AuthenticationTokenIdentifier();
                    id.readFields(new java.io.DataInputStream(new java.io.ByteArrayInputStream(token.getIdentifier())));
                    hbaseToken = "seq " + id.getSequenceNumber() + ", expires " + Instant.ofEpochMilli(id.getExpirationDate());
                }
            }
            boolean newHBaseToken = hbaseToken != null && seenHBaseTokens.add(hbaseToken);
            if (newHBaseToken) {
                hbaseTokens++;
            }
            say("receiver wrote " + tokenFile.getFileName() + " (fingerprint " + current + "): " + kinds
                    + (newHBaseToken ? (hbaseTokens == 1 ? "; first HBase token (" : "; new HBase token #" + hbaseTokens + " (")
                            + hbaseToken + ")" : ""));
            ReaderJvm.Result result = reader.read(Optional.of(tokenFile));
            if (!host.isAlive()) {
                return;
            }
            hdfsReads += result.readHdfs() ? 1 : 0;
            hbaseReads += result.readHBase() ? 1 : 0;
            failed += result.ok() ? 0 : 1;
            say("separate JVM with only HADOOP_TOKEN_FILE_LOCATION: " + (result.ok() ? "OK" : "FAILED (log " + reader.log() + ")")
                    + "\n    " + result.output().replace("\n", "\n    "));
        }
    }
}
