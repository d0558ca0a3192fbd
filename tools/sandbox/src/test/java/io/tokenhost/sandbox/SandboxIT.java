package io.tokenhost.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the non-interactive sandbox as a user would (its own JVM) for two renewals. */
class SandboxIT {

    @Test
    void nonInteractiveSandboxObtainsRenewsAndReads() throws Exception {
        Path dir = Path.of(System.getProperty("tokenhost.sandbox.dir", "target/sandbox"));
        Path out = Files.createDirectories(dir).resolve("sandbox-it.out");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "-Dtokenhost.sandbox.artifacts=" + dir.resolve("artifacts").toAbsolutePath(),
                Sandbox.class.getName(), "--renewals", "2", "--renew-interval", "10",
                "--work", dir.resolve("it-run").toAbsolutePath().toString());
        Process sandbox = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertThat(sandbox.waitFor(240, TimeUnit.SECONDS)).as("sandbox finished").isTrue();
        } finally {
            sandbox.descendants().forEach(ProcessHandle::destroyForcibly);
            sandbox.destroyForcibly();
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(sandbox.exitValue()).as("exit status; output:\n%s", output).isZero();
        assertThat(output)
                .contains("without any token or Kerberos ticket: refused")
                .contains("tokens obtained")
                .contains("tokens renewed (#2)")
                .contains("reader: read /user/client/hello.txt: hello from secure HDFS")
                .contains("hadoopfs  VALID")
                .contains("0 failed")
                .containsPattern("(?m)^\\[sandbox [0-9:]+\\] OK$")
                .doesNotContain("FAILED");
    }
}
