package io.tokenhost.itests.s3;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One long-running S3 client process ({@link LongRunningS3Client} in a JVM, or
 * {@code long_running_s3_client.py} with boto3) whose environment holds only PATH, HOME, the
 * region and the shared-credentials file and profile; its output lines are {@code OK <key
 * fingerprint>} or {@code FAIL <error>}.
 */
final class LongRunningClient implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path out;
    private final Path err;

    private LongRunningClient(String name, Process process, Path out, Path err) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** With {@code profileFileOnce}, the client loads the profile file once (else the SDK's default provider). */
    static LongRunningClient java(String name, Path dir, Path credentialsFile, String profile, String endpoint,
            String bucket, boolean profileFileOnce) throws Exception {
        String classPath = System.getProperty("tokenhost.worker.classes") + File.pathSeparator
                + Files.readString(Path.of(System.getProperty("tokenhost.worker.classpath.file"))).trim();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return start(name, dir, credentialsFile, profile, List.of(java.toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-cp", classPath, LongRunningS3Client.class.getName(), endpoint, bucket, name + ".txt",
                profileFileOnce ? "once" : "default"));
    }

    static LongRunningClient boto3(String name, Path dir, Path credentialsFile, String profile, String endpoint,
            String bucket, Path python) throws Exception {
        Path script = Path.of(System.getProperty("tokenhost.worker.classes"), "long_running_s3_client.py");
        return start(name, dir, credentialsFile, profile, List.of(python.toString(), script.toString(), endpoint,
                bucket, name + ".txt"));
    }

    private static LongRunningClient start(String name, Path dir, Path credentialsFile, String profile,
            List<String> command) throws Exception {
        Path home = dir.resolve(name);
        Files.createDirectories(home);
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        String path = env.get("PATH");
        env.clear();
        env.put("PATH", path == null ? "/usr/bin:/bin" : path);
        env.put("HOME", home.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", credentialsFile.toString());
        env.put("AWS_CONFIG_FILE", home.resolve("no-config").toString());
        env.put("AWS_PROFILE", profile);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        Path out = home.resolve("out.txt");
        Path err = home.resolve("err.txt");
        pb.directory(home.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        return new LongRunningClient(name, pb.start(), out, err);
    }

    String name() {
        return name;
    }

    /** Its result lines so far ({@code OK ...} / {@code FAIL ...}). */
    List<String> calls() throws Exception {
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited with " + process.exitValue() + ": " + Files.readString(err));
        }
        return Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("OK ") || l.startsWith("FAIL ")).toList();
    }

    /** The fingerprints of the access keys it made successful calls with, in order of first use. */
    Set<String> keysUsed() throws Exception {
        Set<String> keys = new LinkedHashSet<>();
        calls().stream().filter(l -> l.startsWith("OK ")).forEach(l -> keys.add(l.substring(3)));
        return keys;
    }

    List<String> failures() throws Exception {
        return calls().stream().filter(l -> l.startsWith("FAIL ")).toList();
    }

    String summary() throws Exception {
        List<String> calls = calls();
        return name + ": " + calls.size() + " calls, " + failures().size() + " failed " + failures().stream().distinct().toList()
                + ", keys used " + keysUsed();
    }

    static String fingerprint(String accessKeyId) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(accessKeyId.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest).substring(0, 12);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
