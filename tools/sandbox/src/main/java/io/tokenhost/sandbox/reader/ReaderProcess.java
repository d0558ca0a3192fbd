package io.tokenhost.sandbox.reader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link TokenFileReader} in a separate JVM: this JVM's class path (hadoop-client), the
 * cluster's client configuration, {@code HADOOP_TOKEN_FILE_LOCATION} (or none), an empty
 * Kerberos ticket cache ({@code KRB5CCNAME}) and no keytab. Its standard output (the reader's
 * own {@code reader: ...} lines) is the {@link Result}; what it logs and prints to standard error
 * is appended to a log file (created owner-only: Hadoop's client logs token identifiers).
 */
public final class ReaderProcess {

    /** What one read did. */
    public record Result(boolean ok, int status, String output) {
    }

    private final Path confDir;
    private final Path krb5Conf;
    private final Path workDir;
    private final Path log;

    /** A reader whose log is {@code workDir/reader.log}. */
    public ReaderProcess(Path confDir, Path krb5Conf, Path workDir) {
        this(confDir, krb5Conf, workDir, workDir.resolve("reader.log"));
    }

    public ReaderProcess(Path confDir, Path krb5Conf, Path workDir, Path log) {
        this.confDir = confDir;
        this.krb5Conf = krb5Conf;
        this.workDir = workDir;
        this.log = log;
    }

    /** Where the reader JVMs' logs and standard error go. */
    public Path log() {
        return log;
    }

    public Result read(String file, Optional<Path> tokenFile) throws IOException, InterruptedException {
        return read(List.of(file), tokenFile);
    }

    /** Reads several files in one JVM (paths with a scheme and authority from their own file system); ok if all were read. */
    public Result read(List<String> files, Optional<Path> tokenFile) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Djava.security.krb5.conf=" + krb5Conf);
        command.add("-Dlog4j.configuration=sandbox-reader-log4j.properties");
        command.add("-Dtokenhost.sandbox.reader.log=" + log);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TokenFileReader.class.getName());
        command.add(confDir.toString());
        command.addAll(files);
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
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                return new Result(false, -1, "reader did not finish within 60 s");
            }
            String output = Files.readString(out, StandardCharsets.UTF_8).trim();
            return new Result(process.exitValue() == 0, process.exitValue(), output);
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }
}
