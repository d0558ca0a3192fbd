package io.tokenhost.itests.hadoop;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link LongRunningHdfsClient} in its own JVM as an unmodified client would run: the Hadoop
 * client's jars (this module's test class path without any Tokenhost, JUnit or AssertJ jar) plus a
 * directory holding only that one class; {@code HADOOP_TOKEN_FILE_LOCATION}, the cluster's client
 * configuration and krb5.conf, an empty ticket cache, no keytab. Optionally with
 * {@code -javaagent:tokenhost-hadoop-agent.jar}. Standard error (Hadoop's and the agent's log) goes
 * to an owner-only file.
 */
final class LongRunningHdfsProcess implements AutoCloseable {

    private final Process process;
    private final Path out;
    private final Path err;
    final List<String> classPath;

    private LongRunningHdfsProcess(Process process, Path out, Path err, List<String> classPath) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.classPath = classPath;
    }

    static LongRunningHdfsProcess start(Path dir, Path confDir, Path krb5Conf, Path tokenFile, String file,
            Optional<Path> agent) throws Exception {
        Files.createDirectories(dir);
        Path classes = dir.resolve("classes");
        String resource = LongRunningHdfsClient.class.getName().replace('.', '/') + ".class";
        Path classFile = classes.resolve(resource);
        Files.createDirectories(classFile.getParent());
        try (InputStream in = LongRunningHdfsClient.class.getClassLoader().getResourceAsStream(resource)) {
            Files.write(classFile, in.readAllBytes());
        }
        List<String> classPath = new ArrayList<>(List.of(Files.readString(Path.of(System.getProperty(
                "tokenhost.client.classpath.file"))).trim().split(File.pathSeparator)));
        classPath.add(classes.toString());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Djava.security.krb5.conf=" + krb5Conf));
        agent.ifPresent(jar -> command.add("-javaagent:" + jar));
        command.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), LongRunningHdfsClient.class.getName(),
                confDir.toString(), file));
        Path out = dir.resolve("out.txt");
        Files.deleteIfExists(dir.resolve("err.txt")); // from an earlier run
        Path err = Files.createFile(dir.resolve("err.txt"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("HADOOP_CONF_DIR");
        pb.environment().put("HADOOP_TOKEN_FILE_LOCATION", tokenFile.toString());
        pb.environment().put("KRB5CCNAME", "FILE:" + dir.resolve("no-such-ticket-cache"));
        return new LongRunningHdfsProcess(pb.start(), out, err, classPath);
    }

    /** Its {@code OK} / {@code FAIL ...} lines so far. */
    List<String> reads() throws Exception {
        if (!process.isAlive()) {
            throw new AssertionError("client exited with " + process.exitValue() + ": " + Files.readString(err));
        }
        return Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                .filter(l -> l.equals("OK") || l.startsWith("FAIL")).toList();
    }

    List<String> failures() throws Exception {
        return reads().stream().filter(l -> l.startsWith("FAIL")).toList();
    }

    String output() throws Exception {
        return Files.readString(out);
    }

    String log() throws Exception {
        return Files.readString(err);
    }

    String summary() throws Exception {
        List<String> failures = failures();
        return reads().size() + " reads, " + failures.size() + " failed" + (failures.isEmpty() ? "" : ", the first: " + failures.get(0));
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
