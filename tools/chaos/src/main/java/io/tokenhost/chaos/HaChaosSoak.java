package io.tokenhost.chaos;

import io.tokenhost.chaos.Sample.State;
import io.tokenhost.itests.support.Await;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The chaos soak in high-availability mode (issue 12): two managers of one cluster and a real
 * ZooKeeper server, workers listing both managers, the chaos provider on both (each with its own
 * obtain log). Faults: the current leader killed with SIGKILL about every minute and restarted 5 s
 * later; ZooKeeper killed and restarted once; the leader cut off from ZooKeeper for 15 s (its
 * relay stopped) while it keeps its worker connections. A {@link Checker} reads every worker's
 * token file every 100 ms.
 *
 * <p>Invariants: no sample of an expired token, no worker without a token after the baseline,
 * and no obtain of one manager overlapping an obtain of the other (two leaders at once). Figures:
 * for every leader kill and the partition, the failover time — from the fault until every worker
 * holds a valid token written after it — with p50 and max.
 *
 * <p>Usage: {@code tools/chaos/run-ha [minutes]} (default 5). Exit status 0 when every invariant
 * held, 1 when one failed, 2 when the soak could not run.
 */
public final class HaChaosSoak {

    /** What each fault was, when it started, and the failover it caused (ms; -1: none measured). */
    record HaFault(String kind, long start, long end) {
    }

    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    private static final String SKIPPED = "SKIPPED ";

    private HaChaosSoak() {
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            System.setProperty("chaos.minutes", args[0]);
        }
        try {
            boolean passed = run(options(SoakOptions.fromSystemProperties(5)), System.out);
            System.exit(passed ? 0 : 1);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(2);
        }
    }

    /**
     * The soak's options: 4 workers, tokens valid 30 s (longer than the failover budget of 10 s with
     * margin: a token lifetime shorter than a failover cannot survive one), renewal at half-life,
     * 5 % of obtains failing, none hanging.
     */
    static SoakOptions options(SoakOptions base) {
        return new SoakOptions(base.run(), base.seed(), base.dir(), base.tarball(), base.providerJar(), 4,
                base.hostJvmOptions(), Duration.ofSeconds(30), Duration.ofSeconds(3), 0.5, 0.05, 0, Duration.ofSeconds(5),
                base.reconnectBackoffMax());
    }

    static boolean run(SoakOptions options, PrintStream out) throws Exception {
        long setUp = System.currentTimeMillis();
        out.printf("HA chaos soak: 2 managers, ZooKeeper, %d workers, %s, in %s%n", options.workers(),
                Analysis.seconds(options.run().toMillis()), options.dir());
        List<HaFault> faults = new ArrayList<>();
        List<Sample> samples;
        long baseline;
        long end;
        List<Obtain> m1;
        List<Obtain> m2;
        try (HaCluster cluster = HaCluster.create(options, SESSION_TIMEOUT)) {
            cluster.start();
            Checker checker = new Checker(cluster.tokenFiles());
            try {
                checker.start();
                Await.atMost(Duration.ofMinutes(2)).until("every worker to hold a valid token", checker::allValid);
                baseline = System.currentTimeMillis();
                out.printf("Baseline after %s: every worker holds a valid token%n", Analysis.seconds(baseline - setUp));
                long runMs = options.run().toMillis();
                for (HaSchedule.Step step : HaSchedule.plan(options.run())) {
                    sleepUntil(baseline + step.offsetMs());
                    apply(cluster, step, faults);
                    out.printf("  %s  %s done%n", Report.rel(System.currentTimeMillis(), baseline),
                            faults.get(faults.size() - 1).kind());
                }
                sleepUntil(baseline + runMs);
                end = System.currentTimeMillis();
            } finally {
                checker.close();
            }
            samples = checker.samples();
            m1 = Obtain.read(cluster.obtainLog(0));
            m2 = Obtain.read(cluster.obtainLog(1));
        }
        String report = report(options, samples, faults, m1, m2, baseline, end);
        out.print(report);
        Files.writeString(options.dir().resolve("report-ha.txt"), report, StandardCharsets.UTF_8);
        return report.contains("RESULT: PASSED");
    }

    /** Applies one fault and records it; a fault that needs a leader when none is found is recorded as skipped. */
    private static void apply(HaCluster cluster, HaSchedule.Step step, List<HaFault> faults) throws Exception {
        long start = System.currentTimeMillis();
        if (step.kind() == HaSchedule.Kind.ZOOKEEPER_RESTART) {
            cluster.killZooKeeper();
            Thread.sleep(step.lengthMs());
            cluster.startZooKeeper();
            faults.add(new HaFault("ZooKeeper killed, restarted after " + Analysis.seconds(step.lengthMs()), start,
                    System.currentTimeMillis()));
            return;
        }
        Optional<Integer> leader = awaitLeader(cluster);
        if (leader.isEmpty()) {
            faults.add(new HaFault(SKIPPED + step.kind() + ": no leader within 30 s", start, System.currentTimeMillis()));
            return;
        }
        int m = leader.get();
        if (step.kind() == HaSchedule.Kind.LEADER_KILL) {
            cluster.killManager(m);
            Thread.sleep(step.lengthMs());
            cluster.startManager(m);
            faults.add(new HaFault("leader m" + (m + 1) + " killed (SIGKILL), restarted after "
                    + Analysis.seconds(step.lengthMs()), start, System.currentTimeMillis()));
        } else {
            cluster.cutFromZooKeeper(m);
            Thread.sleep(step.lengthMs());
            cluster.reconnectToZooKeeper(m);
            faults.add(new HaFault("leader m" + (m + 1) + " cut from ZooKeeper " + Analysis.seconds(step.lengthMs()),
                    start, System.currentTimeMillis()));
        }
    }

    /** The leader once one answers, within 30 s; empty if none does (the caller records the fault as skipped). */
    private static Optional<Integer> awaitLeader(HaCluster cluster) throws InterruptedException {
        try {
            return Optional.of(Await.atMost(Duration.ofSeconds(30)).every(Duration.ofMillis(200)).value("a leader",
                    cluster::leader));
        } catch (AssertionError noLeader) {
            return Optional.empty();
        }
    }

    static String report(SoakOptions options, List<Sample> samples, List<HaFault> faults, List<Obtain> m1,
            List<Obtain> m2, long baseline, long end) {
        StringBuilder r = new StringBuilder();
        List<Sample> judged = samples.stream().filter(s -> s.at() >= baseline && s.at() <= end).toList();
        long expired = judged.stream().filter(s -> s.state() == State.EXPIRED).count();
        long absent = judged.stream().filter(s -> s.state() == State.ABSENT || s.state() == State.UNREADABLE).count();
        int overlaps = 0;
        for (Obtain a : m1) {
            for (Obtain b : m2) {
                if (a.start() < b.end() && b.start() < a.end()) {
                    overlaps++;
                }
            }
        }
        r.append(String.format("HA chaos soak: 2 managers (Curator on a ZooKeeper server process, session timeout %s),"
                + " %d workers listing both; %s from the baseline; tokens valid %s, renewal at %s of their life, %.0f %% of"
                + " obtains fail%n", Analysis.seconds(SESSION_TIMEOUT.toMillis()), options.workers(),
                Analysis.seconds(end - baseline), Analysis.seconds(options.tokenLifetime().toMillis()),
                options.renewalRatio(), options.failureRatio() * 100));
        r.append(String.format("Samples: %d (every worker every 100 ms); expired-token samples: %d; samples without a"
                + " token: %d%n", judged.size(), expired, absent));
        r.append(String.format("Obtains: m1 %d, m2 %d; overlapping obtains between the two managers: %d%n", m1.size(),
                m2.size(), overlaps));
        List<Long> failovers = new ArrayList<>();
        int unrecovered = 0;
        r.append("Faults (failover: from the fault until every worker held a valid token written after it):\n");
        for (HaFault f : faults) {
            long done = failover(samples, f.start(), options.workers());
            boolean counts = f.kind().startsWith("leader");
            if (done > 0 && counts) {
                failovers.add(done - f.start());
            } else if (counts) {
                unrecovered++;
            }
            r.append(String.format("  %s  %-55s %s%n", Report.rel(f.start(), baseline), f.kind(),
                    done > 0 ? (counts ? "failover " : "tokens renewed everywhere ") + Analysis.seconds(done - f.start())
                            : "no new token at every worker before the end"));
        }
        failovers.sort(Long::compare);
        if (!failovers.isEmpty()) {
            r.append(String.format("Failover (leader kills and the partition, %d): p50 %s, max %s%n", failovers.size(),
                    Analysis.seconds(failovers.get((failovers.size() - 1) / 2)),
                    Analysis.seconds(failovers.get(failovers.size() - 1))));
        }
        boolean skipped = faults.stream().anyMatch(f -> f.kind().startsWith(SKIPPED));
        boolean passed = expired == 0 && absent == 0 && overlaps == 0 && !faults.isEmpty() && !skipped
                && unrecovered == 0;
        r.append("RESULT: ").append(passed ? "PASSED" : "FAILED").append('\n');
        return r.toString();
    }

    /** When every worker first held a valid token whose file was written after {@code start}; 0 if never. */
    private static long failover(List<Sample> samples, long start, int workers) {
        long[] first = new long[workers];
        for (Sample s : samples) {
            if (s.at() >= start && s.state() == State.VALID && s.modified() > start && first[s.worker()] == 0) {
                first[s.worker()] = s.at();
            }
        }
        long max = 0;
        for (long f : first) {
            if (f == 0) {
                return 0;
            }
            max = Math.max(max, f);
        }
        return max;
    }

    private static void sleepUntil(long epochMillis) throws InterruptedException {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }
}
