package io.tokenhost.itests.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link WorkerMain} as a separate JVM whose environment holds only PATH, HOME (its own
 * directory), the region, and the shared-credentials file and profile the s3 receiver wrote.
 */
final class Worker {

    private final Path dir;
    private final Path credentialsFile;

    Worker(Path dir, Path credentialsFile) {
        this.dir = dir;
        this.credentialsFile = credentialsFile;
    }

    Path dir() {
        return dir;
    }

    /** Runs one worker; returns its standard output (standard error is kept in its directory). */
    String run(String profile, String mode, String endpoint, String bucket, String key) throws Exception {
        Files.createDirectories(dir);
        String classPath = System.getProperty("tokenhost.worker.classes") + File.pathSeparator
                + Files.readString(Path.of(System.getProperty("tokenhost.worker.classpath.file"))).trim();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-cp", classPath, WorkerMain.class.getName(),
                mode, endpoint, bucket, key));
        Map<String, String> env = pb.environment();
        String path = env.get("PATH");
        env.clear();
        env.put("PATH", path == null ? "/usr/bin:/bin" : path);
        env.put("HOME", dir.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", credentialsFile.toString());
        env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
        env.put("AWS_PROFILE", profile);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        Path out = dir.resolve(mode + "-" + profile + ".out");
        Path err = dir.resolve(mode + "-" + profile + ".err");
        pb.directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("worker finished within 60 s").isTrue();
        } finally {
            p.destroyForcibly();
        }
        String stdout = Files.readString(out);
        assertThat(p.exitValue()).as("worker exit status; stdout: " + stdout + " stderr: " + Files.readString(err)).isZero();
        return stdout;
    }
}
