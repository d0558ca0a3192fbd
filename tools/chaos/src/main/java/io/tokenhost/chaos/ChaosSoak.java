package io.tokenhost.chaos;

import io.tokenhost.chaos.Fault.Kind;
import io.tokenhost.chaos.Sample.State;
import io.tokenhost.chaos.Schedule.Step;
import io.tokenhost.itests.support.Await;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The chaos soak (issue 11, "every worker holds valid tokens, always"): one manager and five
 * workers as real processes from the distribution, the chaos provider failing and hanging at
 * random, and faults on a {@link Schedule}: the provider plugin updated, a random worker killed
 * with SIGKILL and restarted, one worker cut off from the manager for 20 s, the manager killed with
 * SIGKILL and restarted after longer than a token lives, the provider down for 40-60 s. A {@link
 * Checker} reads every worker's token file every 100 ms; {@link Analysis} judges the samples and
 * prints the {@link Report}. A command that prints figures; its 2.2-minute run is also an integration
 * test ({@code ChaosSoakIT}).
 *
 * <p>Usage: {@code tools/chaos/run [minutes]} (default 2.2). Exit status 0 when every invariant
 * held, 1 when one failed, 2 when the soak could not run.
 */
public final class ChaosSoak {

    private static final Duration BASELINE_TIMEOUT = Duration.ofMinutes(2);

    private ChaosSoak() {
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            System.setProperty("chaos.minutes", args[0]);
        }
        try {
            Report report = run(SoakOptions.fromSystemProperties(2.2), System.out);
            System.exit(report.passed() ? 0 : 1);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(2);
        }
    }

    /** Runs one soak, printing progress to {@code out}, then the report; also writes it to {@code <dir>/report.txt}. */
    static Report run(SoakOptions options, PrintStream out) throws Exception {
        List<Step> plan = Schedule.plan(options.run(), options.tokenLifetime());
        Random random = new Random(options.seed());
        long setUpStart = System.currentTimeMillis();
        out.printf("Chaos soak: %d workers, %s from the baseline, seed %d, in %s%n", options.workers(),
                Analysis.seconds(options.run().toMillis()), options.seed(), options.dir());
        List<Fault> faults = new ArrayList<>();
        Report report;
        try (Cluster cluster = Cluster.create(options)) {
            cluster.start();
            List<Sample> samples;
            long baseline;
            long end;
            Checker checker = new Checker(cluster.tokenFiles());
            ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "chaos-progress");
                t.setDaemon(true);
                return t;
            });
            try {
                checker.start();
                Await.atMost(BASELINE_TIMEOUT).until("every worker to hold a valid token", checker::allValid);
                baseline = System.currentTimeMillis();
                out.printf("Baseline after %s of set-up and start: every worker holds a valid token%n",
                        Analysis.seconds(baseline - setUpStart));
                progress.scheduleAtFixedRate(() -> out.printf("  %s  %s%n", Report.rel(System.currentTimeMillis(), baseline),
                        states(checker.latest())), 30, 30, TimeUnit.SECONDS);
                for (Step step : plan) {
                    sleepUntil(baseline + step.offsetMs());
                    Fault fault = apply(step, cluster, random, options);
                    faults.add(fault);
                    out.printf("  %s  %s%s done%n", Report.rel(System.currentTimeMillis(), baseline), step.kind().label,
                            fault.worker() >= 0 ? " w" + (fault.worker() + 1) : "");
                }
                sleepUntil(baseline + options.run().toMillis());
                end = System.currentTimeMillis();
            } finally {
                progress.shutdownNow();
                checker.close();
            }
            samples = checker.samples();
            writeSamples(options.dir().resolve("samples.csv"), samples, baseline);
            List<String> secrets = cluster.tokenBytesInLogs(checker.nonces());
            List<Obtain> obtains = Obtain.read(cluster.obtainLog());
            List<String> header = List.of(
                    String.format("Chaos soak: 1 manager, %d workers (w%d through a TCP relay), each its own distribution and"
                            + " process; %s from the baseline; seed %d", options.workers(), cluster.relayedWorker() + 1,
                            Analysis.seconds(options.run().toMillis()), options.seed()),
                    String.format("Provider '%s': tokens valid %s; %.0f %% of obtains fail and %.0f %% hang %s at random;"
                            + " manager obtain.timeout=%s, renewal.time-ratio=%s, retries as by default; workers"
                            + " reconnect.backoff.max=%s", Cluster.SERVICE, Analysis.seconds(options.tokenLifetime().toMillis()),
                            options.failureRatio() * 100, options.hangRatio() * 100,
                            Analysis.seconds(options.hangDuration().toMillis()),
                            Analysis.seconds(options.obtainTimeout().toMillis()), options.renewalRatio(),
                            Analysis.seconds(options.reconnectBackoffMax().toMillis())),
                    String.format("Set-up and start until the baseline: %s", Analysis.seconds(baseline - setUpStart)));
            report = Analysis.analyse(samples, faults, obtains, baseline, end, options.workers(), Analysis.Rules.defaults(),
                    header, secrets);
        }
        String text = report.text();
        out.print(text);
        Files.writeString(options.dir().resolve("report.txt"), text, StandardCharsets.UTF_8);
        out.printf("Whole run, set-up and shutdown included: %s; report in %s%n",
                Analysis.seconds(System.currentTimeMillis() - setUpStart), options.dir().resolve("report.txt"));
        return report;
    }

    private static Fault apply(Step step, Cluster cluster, Random random, SoakOptions options) throws Exception {
        long start = System.currentTimeMillis();
        switch (step.kind()) {
            case PLUGIN_UPDATE: {
                String version = cluster.updateProvider();
                return new Fault(Kind.PLUGIN_UPDATE, -1, start, start, 0, "Bundle-Version " + version);
            }
            case WORKER_KILL: {
                int worker = random.nextInt(options.workers());
                cluster.killWorker(worker);
                Thread.sleep(step.lengthMs());
                long restarted = System.currentTimeMillis();
                long ready = cluster.restartWorker(worker);
                return new Fault(Kind.WORKER_KILL, worker, start, restarted, ready, "after " + Analysis.seconds(step.lengthMs()));
            }
            case WORKER_CUT: {
                int worker = cluster.relayedWorker();
                cluster.cut();
                Thread.sleep(step.lengthMs());
                cluster.reconnect();
                return new Fault(Kind.WORKER_CUT, worker, start, System.currentTimeMillis(), 0, "");
            }
            case MANAGER_KILL: {
                cluster.killManager();
                Thread.sleep(step.lengthMs());
                long restarted = System.currentTimeMillis();
                long ready = cluster.restartManager();
                return new Fault(Kind.MANAGER_KILL, -1, start, restarted, ready, "after " + Analysis.seconds(step.lengthMs()));
            }
            case PROVIDER_OUTAGE: {
                cluster.outage(true);
                Thread.sleep(step.lengthMs());
                cluster.outage(false);
                return new Fault(Kind.PROVIDER_OUTAGE, -1, start, System.currentTimeMillis(), 0, "");
            }
            default:
                throw new IllegalArgumentException(step.kind().toString());
        }
    }

    /** Every sample, times from the baseline in ms, for a closer look (serials and times only, never token bytes). */
    private static void writeSamples(Path file, List<Sample> samples, long baseline) throws IOException {
        StringBuilder csv = new StringBuilder("at_ms,round,worker,state,serial,valid_until_ms,modified_ms\n");
        for (Sample s : samples) {
            boolean read = s.state() != State.ABSENT;
            csv.append(s.at() - baseline).append(',').append(s.round()).append(",w").append(s.worker() + 1).append(',')
                    .append(s.state()).append(',').append(read ? String.valueOf(s.serial()) : "").append(',')
                    .append(read && s.validUntil() > 0 ? String.valueOf(s.validUntil() - baseline) : "").append(',')
                    .append(read ? String.valueOf(s.modified() - baseline) : "").append('\n');
        }
        Files.writeString(file, csv, StandardCharsets.UTF_8);
    }

    private static String states(List<Sample> round) {
        StringBuilder line = new StringBuilder();
        for (Sample s : round) {
            line.append("w").append(s.worker() + 1).append(' ').append(s.state())
                    .append(s.state() == State.VALID || s.state() == State.EXPIRED ? " #" + s.serial() : "").append("  ");
        }
        return line.toString().strip();
    }

    private static void sleepUntil(long epochMillis) throws InterruptedException {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }
}
