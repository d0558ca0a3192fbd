package io.tokenhost.chaos;

import io.tokenhost.chaos.Fault.Kind;
import io.tokenhost.chaos.Sample.State;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Judges the samples of a soak against the faults it caused and the provider's obtain log. Pure:
 * no processes, no clock; the soak and the tests feed it.
 *
 * <p>Every sample gets one verdict:
 *
 * <ul>
 *   <li>{@code EXCLUDED}: the worker had been killed and was not serving again yet (from the kill
 *       until its new process wrote the file, at most {@link Rules#reconnectMs} after the new
 *       process answered): its file is a dead process's leftover;
 *   <li>{@code VALID};
 *   <li>{@code LATE}: the file was still there after its valid-until, and was gone (or replaced)
 *       at most {@link Rules#lateToleranceMs} after it (the withdrawal on its way);
 *   <li>{@code EXPIRED}: a file that stayed longer past its valid-until, every sample of it after
 *       the valid-until — must never happen;
 *   <li>{@code ABSENT_FAULT}: no file inside an expected window: the manager down (from the kill
 *       until {@link Rules#reconnectMs} after it answered again), this worker cut off (until {@link
 *       Rules#reconnectMs} after the relay is back) or restarting;
 *   <li>{@code ABSENT_NO_TOKEN}: no file while no valid token existed anywhere (no successful
 *       obtain had returned, {@link Rules#deliveryMs} earlier, a token still valid then) and the
 *       manager was trying (an obtain was running, or the last one ended at most {@link
 *       Rules#maxRetryWaitMs} earlier): the provider failed every obtain, during an outage or a run
 *       of random failures and hangs;
 *   <li>{@code ABSENT_UNEXPECTED}: any other missing file — must never happen;
 *   <li>{@code UNREADABLE}: a file that is not a chaos token — must never happen.
 * </ul>
 */
final class Analysis {

    /**
     * The allowances, in milliseconds.
     *
     * @param deliveryMs from an obtain's return to the token file at every connected worker
     * @param reconnectMs from a manager or worker answering again, or a relay back, until the
     *     worker is connected and has applied the current container (the workers' reconnect
     *     backoff is at most 5 s, ± 50 %)
     * @param lateToleranceMs how long after its valid-until a file may still be seen while its
     *     worker withdraws it
     * @param maxRetryWaitMs the longest the manager may wait between obtains while it holds no
     *     valid token (issue 11: at most 30 s)
     */
    record Rules(long deliveryMs, long reconnectMs, long lateToleranceMs, long maxRetryWaitMs) {
        static Rules defaults() {
            return new Rules(2_000, 10_000, 500, 30_000);
        }
    }

    enum Verdict { EXCLUDED, VALID, LATE, EXPIRED, ABSENT_FAULT, ABSENT_NO_TOKEN, ABSENT_UNEXPECTED, UNREADABLE }

    private final List<Sample> samples;
    private final List<Fault> faults;
    private final List<Obtain> byEnd;
    private final List<Obtain> byStart;
    private final long from;
    private final long to;
    private final int workers;
    private final Rules rules;
    /** For each obtain in {@link #byEnd}, the index of the ok obtain with the latest valid-until up to it, or -1. */
    private final int[] bestTokenUpTo;
    /** For each worker's copy of a token, how long past its valid-until it was seen at the latest. */
    private final Map<Long, Long> latestSeen = new HashMap<>();
    /** Per worker, the intervals [from, to) in which its samples are excluded. */
    private final List<List<long[]>> excluded = new ArrayList<>();

    private Analysis(List<Sample> samples, List<Fault> faults, List<Obtain> obtains, long from, long to, int workers,
            Rules rules) {
        this.samples = samples.stream().sorted(Comparator.comparingLong(Sample::at)).toList();
        this.faults = faults;
        this.byEnd = obtains.stream().sorted(Comparator.comparingLong(Obtain::end)).toList();
        this.byStart = obtains.stream().sorted(Comparator.comparingLong(Obtain::start)).toList();
        this.from = from;
        this.to = to;
        this.workers = workers;
        this.rules = rules;
        this.bestTokenUpTo = new int[byEnd.size()];
        int best = -1;
        for (int i = 0; i < byEnd.size(); i++) {
            Obtain o = byEnd.get(i);
            if (o.ok() && (best < 0 || o.validUntil() > byEnd.get(best).validUntil())) {
                best = i;
            }
            bestTokenUpTo[i] = best;
        }
        for (int w = 0; w < workers; w++) {
            excluded.add(new ArrayList<>());
        }
        for (Fault f : faults) {
            if (f.kind() == Kind.WORKER_KILL) {
                excluded.get(f.worker()).add(new long[] {f.start(), servingAgain(f)});
            }
        }
        for (Sample s : this.samples) {
            if (s.state() == State.EXPIRED && !isExcluded(s)) {
                latestSeen.merge(tokenAt(s), s.at() - s.validUntil(), Math::max);
            }
        }
    }

    /** One worker's copy of one token. */
    private static long tokenAt(Sample s) {
        return s.serial() * 1024 + s.worker();
    }

    /** Judges the samples taken from {@code from} to {@code to} (epoch millis). */
    static Report analyse(List<Sample> samples, List<Fault> faults, List<Obtain> obtains, long from, long to,
            int workers, Rules rules, List<String> header, List<String> secretFindings) {
        return new Analysis(samples, faults, obtains, from, to, workers, rules).report(header, secretFindings);
    }

    // ---- verdicts

    Verdict verdict(Sample s) {
        if (isExcluded(s)) {
            return Verdict.EXCLUDED;
        }
        switch (s.state()) {
            case VALID:
                return Verdict.VALID;
            case UNREADABLE:
                return Verdict.UNREADABLE;
            case EXPIRED:
                // late only if this copy of the token was gone within the tolerance; the first samples
                // of a copy that stayed longer are as expired as the rest
                return latestSeen.getOrDefault(tokenAt(s), 0L) <= rules.lateToleranceMs() ? Verdict.LATE : Verdict.EXPIRED;
            default:
                if (faultWindow(s) != null) {
                    return Verdict.ABSENT_FAULT;
                }
                return validTokenAt(s.at()) == null && managerTrying(s.at()) ? Verdict.ABSENT_NO_TOKEN
                        : Verdict.ABSENT_UNEXPECTED;
        }
    }

    private boolean isExcluded(Sample s) {
        for (long[] interval : excluded.get(s.worker())) {
            if (s.at() >= interval[0] && s.at() < interval[1]) {
                return true;
            }
        }
        return false;
    }

    /** When a killed worker serves again: its new process wrote the file, or the allowance after it answered ran out. */
    private long servingAgain(Fault kill) {
        long limit = (kill.ready() > 0 ? kill.ready() : kill.end()) + rules.reconnectMs();
        for (Sample s : samples) {
            if (s.worker() == kill.worker() && s.at() >= kill.end() && s.modified() >= kill.end()
                    && s.state() != State.ABSENT) {
                return Math.min(s.at(), limit);
            }
        }
        return limit;
    }

    /** The fault whose expected window holds this (absent) sample, if any. */
    private Fault faultWindow(Sample s) {
        for (Fault f : faults) {
            long windowEnd = switch (f.kind()) {
                case MANAGER_KILL -> (f.ready() > 0 ? f.ready() : Long.MAX_VALUE / 2) + rules.reconnectMs();
                case WORKER_CUT -> f.end() + rules.reconnectMs();
                case WORKER_KILL -> (f.ready() > 0 ? f.ready() : f.end()) + rules.reconnectMs();
                case PROVIDER_OUTAGE, PLUGIN_UPDATE -> Long.MIN_VALUE; // no window: judged by the obtain log
            };
            boolean hitsWorker = f.kind() == Kind.MANAGER_KILL || f.worker() == s.worker();
            if (hitsWorker && s.at() >= f.start() && s.at() < windowEnd) {
                return f;
            }
        }
        return null;
    }

    /** The ok obtain whose token was valid at {@code t} and had returned {@link Rules#deliveryMs} before, if any. */
    Obtain validTokenAt(long t) {
        int i = lastIndexEndingBy(t - rules.deliveryMs());
        if (i < 0 || bestTokenUpTo[i] < 0) {
            return null;
        }
        Obtain best = byEnd.get(bestTokenUpTo[i]);
        return best.validUntil() > t ? best : null;
    }

    private int lastIndexEndingBy(long t) {
        int lo = 0;
        int hi = byEnd.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (byEnd.get(mid).end() <= t) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** An obtain was running at {@code t} (or had just returned), or the last one ended at most the retry cap before. */
    private boolean managerTrying(long t) {
        long lastEnd = Long.MIN_VALUE;
        for (Obtain o : byStart) {
            if (o.start() > t) {
                break;
            }
            if (t <= o.end() + rules.deliveryMs()) {
                return true;
            }
            lastEnd = Math.max(lastEnd, o.end());
        }
        return lastEnd != Long.MIN_VALUE && t - lastEnd <= rules.maxRetryWaitMs() + rules.deliveryMs();
    }

    private long idleBefore(long t) {
        long lastEnd = Long.MIN_VALUE;
        for (Obtain o : byStart) {
            if (o.start() > t) {
                break;
            }
            lastEnd = Math.max(lastEnd, o.end());
        }
        return lastEnd == Long.MIN_VALUE ? -1 : t - lastEnd;
    }

    // ---- the report

    private Report report(List<String> header, List<String> secretFindings) {
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        for (Verdict v : Verdict.values()) {
            counts.put(v, 0);
        }
        Map<Kind, Integer> absentByFault = new EnumMap<>(Kind.class);
        Map<State, Integer> excludedStates = new EnumMap<>(State.class);
        List<Report.Range> expired = new ArrayList<>();
        List<Report.Range> unexpected = new ArrayList<>();
        List<Report.Range> noToken = new ArrayList<>();
        int[] openExpired = none();
        int[] openUnexpected = none();
        int[] openNoToken = none();
        long latestLate = 0;
        int total = 0;
        for (Sample s : samples) {
            if (s.at() < from || s.at() > to) {
                continue;
            }
            total++;
            Verdict v = verdict(s);
            counts.merge(v, 1, Integer::sum);
            int w = s.worker();
            switch (v) {
                case EXCLUDED -> excludedStates.merge(s.state(), 1, Integer::sum);
                case LATE -> latestLate = Math.max(latestLate, s.at() - s.validUntil());
                case EXPIRED, UNREADABLE -> extend(expired, openExpired, s,
                        v == Verdict.UNREADABLE ? "not a chaos token" : "serial " + s.serial() + ", valid until "
                                + rel(s.validUntil()), s.at() - s.validUntil());
                case ABSENT_FAULT -> absentByFault.merge(faultWindow(s).kind(), 1, Integer::sum);
                case ABSENT_NO_TOKEN -> extend(noToken, openNoToken, s, noTokenReason(s.at()), 0);
                case ABSENT_UNEXPECTED -> extend(unexpected, openUnexpected, s, unexpectedReason(s.at()), 0);
                default -> {
                }
            }
        }
        return new Report(header, from, to, workers, total, counts, absentByFault, excludedStates, latestLate,
                rules, expired, unexpected, noToken, faults, recoveries(), obtainFigures(), secretFindings);
    }

    private int[] none() {
        int[] open = new int[workers];
        Arrays.fill(open, -1);
        return open;
    }

    /**
     * Adds the sample to its worker's open range ({@code open[worker]}, an index into {@code ranges})
     * if it continues it (the same cause, at most one round missed), else opens a new one.
     */
    private static void extend(List<Report.Range> ranges, int[] open, Sample s, String cause, long worst) {
        int i = open[s.worker()];
        if (i >= 0 && s.round() - ranges.get(i).lastRound() <= 2 && ranges.get(i).cause().equals(cause)) {
            ranges.set(i, ranges.get(i).with(s, worst));
            return;
        }
        ranges.add(new Report.Range(s.worker(), s.at(), s.at(), s.round(), s.round(), 1, cause, worst));
        open[s.worker()] = ranges.size() - 1;
    }

    private String unexpectedReason(long t) {
        Obtain token = validTokenAt(t);
        if (token != null) {
            return "a valid token existed: serial " + token.serial() + " (revision " + token.revision() + "), returned at "
                    + rel(token.end()) + ", valid until " + rel(token.validUntil());
        }
        long idle = idleBefore(t);
        return "no valid token, and no obtain " + (idle < 0 ? "in the whole run" : "since " + rel(t - idle))
                + " (the manager must retry at most " + seconds(rules.maxRetryWaitMs()) + " apart)";
    }

    private String noTokenReason(long t) {
        int last = lastIndexEndingBy(t);
        if (last >= 0 && byEnd.get(last).ok()) { // within the delivery allowance: on its way
            return "the token obtained at " + rel(byEnd.get(last).end()) + " on its way";
        }
        long since = 0;
        for (int i = last; i >= 0; i--) {
            if (byEnd.get(i).ok()) {
                since = byEnd.get(i).end();
                break;
            }
        }
        return "every obtain failed since " + (since == 0 ? "the start" : "the success at " + rel(since))
                + ", the manager retrying";
    }

    private List<Report.Recovery> recoveries() {
        // rounds in order, with the samples of each
        TreeMap<Integer, Sample[]> rounds = new TreeMap<>();
        for (Sample s : samples) {
            rounds.computeIfAbsent(s.round(), r -> new Sample[workers])[s.worker()] = s;
        }
        List<Report.Recovery> result = new ArrayList<>();
        for (Fault f : faults) {
            long recoveredAt = -1;
            for (Sample[] round : rounds.values()) {
                if (round[0] == null || round[0].at() < f.end()) {
                    continue;
                }
                boolean all = true;
                for (Sample s : round) {
                    if (s == null || s.state() != State.VALID
                            || (f.kind() == Kind.WORKER_KILL && s.worker() == f.worker() && s.modified() < f.end())) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    recoveredAt = round[0].at();
                    break;
                }
            }
            int validAtStart = 0;
            Sample[] before = null;
            for (Sample[] round : rounds.values()) {
                if (round[0] == null || round[0].at() > f.start()) {
                    break;
                }
                before = round;
            }
            if (before != null) {
                for (Sample s : before) {
                    validAtStart += s != null && s.state() == State.VALID ? 1 : 0;
                }
            }
            result.add(new Report.Recovery(f, recoveredAt < 0 ? -1 : recoveredAt - f.end(), to - f.end(), validAtStart));
        }
        return result;
    }

    private Report.Obtains obtainFigures() {
        int attempts = 0;
        int ok = 0;
        int failed = 0;
        int hung = 0;
        int outage = 0;
        for (Obtain o : byStart) {
            if (o.start() < from || o.start() > to) {
                continue;
            }
            attempts++;
            switch (o.outcome()) {
                case "ok" -> ok++;
                case "fail" -> failed++;
                case "hang", "interrupted" -> hung++;
                case "outage" -> outage++;
                default -> failed++;
            }
        }
        // the longest wait between obtains while no valid token existed (from the end of one obtain, or
        // the expiry of the token held then, to the start of the next; not while the manager was down)
        long longestWait = 0;
        long longestWaitAt = 0;
        for (int i = 0; i < byStart.size(); i++) {
            Obtain a = byStart.get(i);
            long next = i + 1 < byStart.size() ? Math.min(byStart.get(i + 1).start(), to) : to;
            long without = Math.max(a.end(), heldUntil(a.end()));
            if (without < from || without >= next || managerDownBetween(without, next)) {
                continue;
            }
            if (next - without > longestWait) {
                longestWait = next - without;
                longestWaitAt = without;
            }
        }
        return new Report.Obtains(attempts, ok, failed, hung, outage, longestWait, longestWaitAt);
    }

    /** Until when the best token obtained by {@code t} is valid (0 if none). */
    private long heldUntil(long t) {
        int i = lastIndexEndingBy(t);
        return i >= 0 && bestTokenUpTo[i] >= 0 ? byEnd.get(bestTokenUpTo[i]).validUntil() : 0;
    }

    private boolean managerDownBetween(long a, long b) {
        for (Fault f : faults) {
            long up = f.ready() > 0 ? f.ready() : Long.MAX_VALUE;
            if (f.kind() == Kind.MANAGER_KILL && f.start() < b && up > a) {
                return true;
            }
        }
        return false;
    }

    private String rel(long epochMillis) {
        return Report.rel(epochMillis, from);
    }

    static String seconds(long millis) {
        return String.format("%.1f s", millis / 1000.0);
    }
}
