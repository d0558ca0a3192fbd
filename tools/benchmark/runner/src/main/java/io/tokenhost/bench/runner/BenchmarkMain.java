package io.tokenhost.bench.runner;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The benchmark command. Against a copy of the assembled distribution, run as real processes:
 *
 * <ol>
 *   <li>host start → first tokens at a receiver: process spawn until the example receiver has
 *       written its token file (the first start with an empty Felix cache, then warm starts);
 *   <li>jar dropped in {@code plugins/} → tokens at the receiver (and jar deleted → withdrawn);
 *   <li>{@code token:obtain} → all of N in-process receivers ({@code bench:fanout}).
 * </ol>
 *
 * Arguments: distribution dir, example-provider jar, example-receiver jar, bench bundle jar,
 * rounds, receivers.
 */
public final class BenchmarkMain {

    /** Polls every millisecond, so the measured latencies are exact to about 1 ms; every wait ends. */
    private static final Await POLL = Await.atMost(Duration.ofSeconds(60)).every(Duration.ofMillis(1));

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        Path distribution = Path.of(args[0]);
        Path providerJar = Path.of(args[1]);
        Path receiverJar = Path.of(args[2]);
        Path benchJar = Path.of(args[3]);
        int rounds = Integer.parseInt(args[4]);
        int receivers = Integer.parseInt(args[5]);

        Installation host = Installation.copyOf(distribution);
        Path tokenFile = host.home.resolve("data/bench/example.token");
        host.writeConfig("io.tokenhost.example.receiver", Map.of("service.name", "example", "file", tokenFile.toString()));
        Files.copy(receiverJar, host.plugins().resolve("example-receiver.jar"));
        Files.copy(providerJar, host.plugins().resolve("example-provider.jar"));
        System.out.printf("Tokenhost benchmark: %s, %d cores, Java %s; installation %s%n",
                System.getProperty("os.name"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), host.home);

        List<Double> starts = new ArrayList<>();
        for (int i = 0; i <= rounds; i++) {
            Files.deleteIfExists(tokenFile);
            long spawned = System.nanoTime();
            try (HostProcess process = new HostProcess(host.startHeadless())) {
                POLL.until("first tokens at the receiver", () -> Files.exists(tokenFile));
                double ms = (System.nanoTime() - spawned) / 1e6;
                System.out.printf("start %d%s: spawn -> first tokens at the receiver %.0f ms%n", i,
                        i == 0 ? " (empty Felix cache)" : "", ms);
                if (i > 0) {
                    starts.add(ms);
                }
            }
        }

        List<Double> installs = new ArrayList<>();
        List<Double> withdrawals = new ArrayList<>();
        // The last start's file survives its stop: without this, the wait below would return at once
        // and the provider jar would go before the host had even installed it.
        Files.deleteIfExists(tokenFile);
        try (HostProcess process = new HostProcess(host.startHeadless())) {
            POLL.until("first tokens at the receiver", () -> Files.exists(tokenFile));
            Path dropped = host.plugins().resolve("example-provider.jar");
            for (int i = 1; i <= rounds; i++) {
                long deleted = System.nanoTime();
                Files.delete(dropped);
                POLL.until("tokens withdrawn", () -> !Files.exists(tokenFile));
                withdrawals.add((System.nanoTime() - deleted) / 1e6);

                Path part = host.plugins().resolve("example-provider.jar.part");
                Files.copy(providerJar, part);
                long droppedAt = System.nanoTime();
                Files.move(part, dropped, StandardCopyOption.ATOMIC_MOVE);
                POLL.until("tokens from the dropped provider", () -> Files.exists(tokenFile));
                double ms = (System.nanoTime() - droppedAt) / 1e6;
                installs.add(ms);
                System.out.printf("drop %d: jar renamed into plugins/ -> tokens at the receiver %.0f ms;"
                        + " jar deleted -> tokens withdrawn %.0f ms%n", i, ms, withdrawals.get(i - 1));
            }

            Files.copy(benchJar, host.plugins().resolve("bench.jar"));
            // The bench bundle's command exists once FileInstall has started the bundle.
            Installation.Result fanout = Await.atMost(Duration.ofSeconds(60)).until("bench:fanout",
                    () -> host.client("bench:fanout", Integer.toString(receivers), Integer.toString(rounds)),
                    result -> result.status() == 0);
            System.out.print(fanout.stdout());
            System.out.print(host.client("token:status").stdoutIfOk());
        }

        System.out.println();
        System.out.printf("SUMMARY (median / max over %d rounds; targets on a 2-core machine)%n", rounds);
        System.out.printf("  host start -> first tokens at receivers:   %s   (target <= 1000 ms)%n", Stats.of(starts));
        System.out.printf("  jar dropped in plugins/ -> tokens:         %s   (target <= 1000 ms)%n", Stats.of(installs));
        System.out.printf("  jar deleted from plugins/ -> withdrawn:    %s%n", Stats.of(withdrawals));
        System.out.printf("  obtain -> all %d receivers:                see the fanout line above (target <= 50 ms)%n",
                receivers);
    }
}
