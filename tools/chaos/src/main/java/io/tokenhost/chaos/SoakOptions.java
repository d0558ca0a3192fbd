package io.tokenhost.chaos;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one soak runs with. {@link #fromSystemProperties} reads {@code chaos.*} system properties,
 * which the run script and the integration test set.
 *
 * @param run how long faults are applied and samples taken, from the baseline (every worker
 *     holding a valid token for the first time)
 * @param hostJvmOptions {@code JAVA_OPTS} for every host (six JVMs share the machine)
 */
record SoakOptions(Duration run, long seed, Path dir, Path tarball, Path providerJar, int workers,
        String hostJvmOptions, Duration tokenLifetime, Duration obtainTimeout, double renewalRatio, double failureRatio,
        double hangRatio, Duration hangDuration, Duration reconnectBackoffMax) {

    static final String DEFAULT_HOST_JVM_OPTIONS = "-Xmx128m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    static SoakOptions fromSystemProperties(double defaultMinutes) {
        double minutes = Double.parseDouble(System.getProperty("chaos.minutes", String.valueOf(defaultMinutes)));
        String seed = System.getProperty("chaos.seed", "");
        return new SoakOptions(Duration.ofMillis((long) (minutes * 60_000)),
                seed.isBlank() ? System.nanoTime() & 0xffffff : Long.parseLong(seed.trim()),
                Path.of(System.getProperty("chaos.dir", "target/chaos-run")).toAbsolutePath(),
                Path.of(System.getProperty("chaos.dist.tarball", "target/chaos-inputs/tokenhost-distribution.tar.gz")).toAbsolutePath(),
                Path.of(System.getProperty("chaos.provider.jar",
                        "target/chaos-inputs/tokenhost-itests-fixtures-chaos-provider.jar")).toAbsolutePath(),
                5, System.getProperty("chaos.host.jvm-options", DEFAULT_HOST_JVM_OPTIONS), Duration.ofSeconds(10),
                Duration.ofSeconds(3), 0.5, 0.2, 0.05, Duration.ofSeconds(5), Duration.ofSeconds(5));
    }
}
