package io.tokenhost.itests.process;

import io.tokenhost.itests.support.Installation;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ShutdownIT {

    @Test
    void sigtermStopsTheHostWithinFiveSecondsExitingZeroAndARestartReusesTheCache() throws Exception {
        try (Installation installation = Installation.unpack("shutdown")) {
            Process host = installation.startHeadless();
            installation.awaitReady();
            assertThat(installation.socket()).exists();

            long start = System.nanoTime();
            host.destroy(); // SIGTERM
            boolean exited = host.waitFor(5, TimeUnit.SECONDS);
            Duration stop = Duration.ofNanos(System.nanoTime() - start);
            System.out.println("[figures] SIGTERM -> process exit: " + stop.toMillis() + " ms");

            assertThat(exited).as("exited within 5 s of SIGTERM").isTrue();
            // A clean stop is a success: systemd (without SuccessExitStatus=) counts 143 as a failure.
            assertThat(host.exitValue()).as("exit status after SIGTERM").isZero();
            assertThat(installation.socket()).as("console socket removed on stop").doesNotExist();
            assertThat(Installation.read(installation.log())).contains("tokenhost stopped");
            assertThat(installation.client("lb").status()).isEqualTo(2);

            installation.startHeadless();
            Duration ready = installation.awaitReady();
            System.out.println("[figures] warm restart -> client lb succeeds: " + ready.toMillis() + " ms");
            long coreBundles;
            try (var jars = java.nio.file.Files.list(installation.home.resolve("bundle"))) {
                coreBundles = jars.filter(jar -> jar.toString().endsWith(".jar")).count();
            }
            assertThat(coreBundles).as("core bundle jars").isGreaterThanOrEqualTo(12);
            assertThat(Installation.read(installation.log()))
                    .contains("core bundles: " + coreBundles + " installed, 0 updated, 0 uninstalled")
                    .contains("core bundles: 0 installed, 0 updated, 0 uninstalled");
        }
    }

    /** Gogo's own profile made `exit` a System.exit inside the command: "gogo: InterruptedException: null". */
    @Test
    void exitInTheInteractiveShellStopsTheHostWithoutAStackTrace() throws Exception {
        try (Installation installation = Installation.unpack("shell-exit")) {
            java.nio.file.Path out = installation.dir.resolve("shell.out");
            ProcessBuilder pb = new ProcessBuilder(installation.bin().toString()).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().remove("JAVA_OPTS");
            Process host = pb.start();
            try {
                installation.awaitReady();
                host.getOutputStream().write("exit 0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                host.getOutputStream().flush();
                assertThat(host.waitFor(20, TimeUnit.SECONDS)).as("exited after 'exit 0'").isTrue();
                String shell = Installation.read(out);
                assertThat(host.exitValue()).as(shell).isZero();
                assertThat(shell).as("the shell's output").contains("g! ").doesNotContain("Exception").doesNotContain("\tat ");
                assertThat(Installation.read(installation.log())).contains("tokenhost stopped");
            } finally {
                host.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
