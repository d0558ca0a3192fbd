package io.tokenhost.sandbox.hbase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link TokenOnlyReader} in a separate JVM: the HBase and HDFS client class path, the
 * clusters' client configuration, {@code HADOOP_TOKEN_FILE_LOCATION} (or none), an empty Kerberos
 * ticket cache and no keytab. Its standard output is the {@link Result}; its standard error goes to
 * an owner-only log (Hadoop's client logs token identifiers).
 */
public final class ReaderJvm {

    /** What one run read. */
    public record Result(boolean ok, String output) {
        public boolean readHdfs() {
            return output.contains("reader: hdfs read ");
        }

        public boolean readHBase() {
            return output.contains("reader: hbase read ");
        }
    }

    private final String classPath;
    private final Path confDir;
    private final Path krb5Conf;
    private final Path workDir;
    private final Path log;

    /** A reader with this class path (the HBase and HDFS clients and {@link TokenOnlyReader}), logging to {@code log}. */
    public ReaderJvm(String classPath, Path confDir, Path krb5Conf, Path workDir, Path log) {
        this.classPath = classPath;
        this.confDir = confDir;
        this.krb5Conf = krb5Conf;
        this.workDir = workDir;
        this.log = log;
    }

    public Path log() {
        return log;
    }

    public Result read(Optional<Path> tokenFile) throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Djava.security.krb5.conf=" + krb5Conf,
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-cp", classPath, TokenOnlyReader.class.getName(),
                confDir.toString(), SecureHBase.FILE, SecureHBase.TABLE, SecureHBase.ROW);
        Files.createDirectories(workDir);
        if (!Files.exists(log)) {
            Files.createDirectories(log.getParent());
            Files.createFile(log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Path out = Files.createTempFile(workDir, "reader", ".out");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove("HADOOP_TOKEN_FILE_LOCATION");
        pb.environment().put("KRB5CCNAME", "FILE:" + workDir.resolve("no-such-ticket-cache"));
        tokenFile.ifPresent(f -> pb.environment().put("HADOOP_TOKEN_FILE_LOCATION", f.toString()));
        Process process = pb.start();
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                return new Result(false, "reader did not finish within 90 s: " + Files.readString(out));
            }
            return new Result(process.exitValue() == 0, Files.readString(out, StandardCharsets.UTF_8).trim());
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }
}
