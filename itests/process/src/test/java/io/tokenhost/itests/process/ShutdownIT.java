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
}
