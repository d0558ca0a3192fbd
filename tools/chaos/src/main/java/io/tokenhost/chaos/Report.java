package io.tokenhost.chaos;

import io.tokenhost.chaos.Analysis.Rules;
import io.tokenhost.chaos.Analysis.Verdict;
import io.tokenhost.chaos.Fault.Kind;
import io.tokenhost.chaos.Sample.State;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a soak found: counts of every verdict, the ranges of the ones that must not happen,
 * recovery after each fault, obtain figures, and the verdict. Shows serials and times, never
 * token bytes.
 */
record Report(List<String> header, long from, long to, int workers, int samples, Map<Verdict, Integer> counts,
        Map<Kind, Integer> absentByFault, Map<State, Integer> excludedStates, long latestLateMs, Rules rules,
        List<Range> expired, List<Range> unexpectedAbsent, List<Range> noTokenAbsent, List<Fault> faults,
        List<Recovery> recoveries, Obtains obtains, List<String> secretFindings) {

    /** Consecutive samples of one worker with one verdict and cause. */
    record Range(int worker, long first, long last, int firstRound, int lastRound, int samples, String cause,
            long worstMs) {
        Range with(Sample s, long worst) {
            return new Range(worker, first, s.at(), firstRound, s.round(), samples + 1, cause, Math.max(worstMs, worst));
        }
    }

    /**
     * @param millis from the fault's end until every worker held a valid token; -1: not within the run
     * @param validAtStart how many workers held a valid token in the last round before the fault began
     */
    record Recovery(Fault fault, long millis, long observedMillis, int validAtStart) {
    }

    record Obtains(int attempts, int ok, int failed, int hung, int outage, long longestWaitWithoutTokenMs,
            long longestWaitAt) {
    }

    int count(Verdict v) {
        return counts.getOrDefault(v, 0);
    }

    /** The invariants that failed, each as one sentence; empty when the soak passed. */
    List<String> violations() {
        List<String> failed = new ArrayList<>();
        if (count(Verdict.EXPIRED) > 0) {
            failed.add(count(Verdict.EXPIRED) + " EXPIRED samples (a worker's file held a token more than "
                    + rules.lateToleranceMs() + " ms past its valid-until); must be 0");
        }
        if (count(Verdict.ABSENT_UNEXPECTED) > 0) {
            failed.add(count(Verdict.ABSENT_UNEXPECTED) + " unexpected ABSENT samples (no token file outside every"
                    + " expected window); must be 0");
        }
        if (count(Verdict.UNREADABLE) > 0) {
            failed.add(count(Verdict.UNREADABLE) + " UNREADABLE samples (a token file that is not a chaos token); must be 0");
        }
        if (!secretFindings.isEmpty()) {
            failed.add("token bytes in logs: " + String.join("; ", secretFindings));
        }
        if (samples == 0) {
            failed.add("no samples taken");
        }
        boolean outageInjected = recoveries.stream().anyMatch(r -> r.fault().kind() == Kind.PROVIDER_OUTAGE);
        if (outageInjected && obtains.outage() == 0) {
            // else a provider that ignores the outage marker would let the soak pass without an outage
            failed.add("a provider outage was injected but no obtain was refused by it; the fixture did not see it");
        }
        return failed;
    }

    boolean passed() {
        return violations().isEmpty();
    }

    String text() {
        StringBuilder out = new StringBuilder();
        header.forEach(line -> out.append(line).append('\n'));
        out.append("Faults (times from the baseline, when every worker first held a valid token):\n");
        for (Recovery r : recoveries) {
            Fault f = r.fault();
            out.append(String.format("  %9s  %-22s %s; %d of %d workers held a valid token as it began%n", rel(f.start(), from),
                    f.kind().label + target(f), describe(f), r.validAtStart(), workers));
        }
        out.append(String.format("Samples: %d (%d workers, every 100 ms, %s)%n", samples, workers,
                Analysis.seconds(to - from)));
        out.append(String.format("  VALID                      %7d%n", count(Verdict.VALID)));
        out.append(String.format("  EXPIRED                    %7d   must be 0 (file present > %d ms past its valid-until)%n",
                count(Verdict.EXPIRED), rules.lateToleranceMs()));
        out.append(String.format("  ABSENT                     %7d%n", count(Verdict.ABSENT_FAULT)
                + count(Verdict.ABSENT_NO_TOKEN) + count(Verdict.ABSENT_UNEXPECTED)));
        out.append(String.format("    in a fault's window      %7d   %s%n", count(Verdict.ABSENT_FAULT), byKind()).stripTrailing()).append('\n');
        out.append(String.format("    no valid token existed   %7d   provider failed every obtain, manager retrying <= %s apart%n",
                count(Verdict.ABSENT_NO_TOKEN), Analysis.seconds(rules.maxRetryWaitMs())));
        out.append(String.format("    unexpected               %7d   must be 0%n", count(Verdict.ABSENT_UNEXPECTED)));
        out.append(String.format("  late withdrawal            %7d   file present <= %d ms past its valid-until (latest %d ms)%n",
                count(Verdict.LATE), rules.lateToleranceMs(), latestLateMs));
        out.append(String.format("  killed worker not serving  %7d   excluded: %s%n", count(Verdict.EXCLUDED), excluded()));
        if (count(Verdict.UNREADABLE) > 0) {
            out.append(String.format("  UNREADABLE                 %7d   must be 0%n", count(Verdict.UNREADABLE)));
        }
        ranges(out, "EXPIRED", expired, true);
        ranges(out, "Unexpected ABSENT", unexpectedAbsent, false);
        ranges(out, "ABSENT, no valid token existed", noTokenAbsent, false);
        out.append("Recovery (from the fault's end until every worker holds a valid token; a killed worker one its new"
                + " process wrote):\n");
        out.append(String.format("  %-24s %3s %10s %10s  %s%n", "fault", "n", "p50", "max", "each"));
        Map<Kind, List<Recovery>> byKind = new EnumMap<>(Kind.class);
        recoveries.forEach(r -> byKind.computeIfAbsent(r.fault().kind(), k -> new ArrayList<>()).add(r));
        byKind.forEach((kind, list) -> {
            List<Long> times = list.stream().map(r -> r.millis() < 0 ? Long.MAX_VALUE : r.millis()).sorted().toList();
            out.append(String.format("  %-24s %3d %10s %10s  %s%n", kind.label, list.size(),
                    recovery(times.get((times.size() - 1) / 2)), recovery(times.get(times.size() - 1)),
                    String.join(", ", list.stream().map(r -> r.millis() < 0 ? "not within " + Analysis.seconds(r.observedMillis())
                            : Analysis.seconds(r.millis())).toList())));
        });
        out.append(String.format("Obtains: %d (ok %d, failed %d, hung %d, refused by the outage %d); obtains per token cycle"
                + " %s (%s outside outages)%n", obtains.attempts(), obtains.ok(), obtains.failed(), obtains.hung(),
                obtains.outage(), perToken(obtains.attempts()), perToken(obtains.attempts() - obtains.outage())));
        out.append(String.format("Longest wait between obtains without a valid token: %s%s (manager down excluded)%n",
                Analysis.seconds(obtains.longestWaitWithoutTokenMs()),
                obtains.longestWaitWithoutTokenMs() == 0 ? "" : ", from "
                        + rel(obtains.longestWaitAt(), from)));
        out.append("Token bytes in logs: ").append(secretFindings.isEmpty() ? "none found" : String.join("; ", secretFindings))
                .append('\n');
        List<String> violations = violations();
        out.append(violations.isEmpty() ? "PASSED: every invariant holds\n"
                : "FAILED:\n" + String.join("\n", violations.stream().map(v -> "  - " + v).toList()) + "\n");
        return out.toString();
    }

    private String perToken(int attempts) {
        return obtains.ok() == 0 ? "-" : String.format("%.2f", attempts / (double) obtains.ok());
    }

    private static String recovery(long millis) {
        return millis == Long.MAX_VALUE ? "never" : Analysis.seconds(millis);
    }

    private String byKind() {
        List<String> parts = new ArrayList<>();
        absentByFault.forEach((kind, n) -> parts.add(kind.label + " " + n));
        return parts.isEmpty() ? "" : "(" + String.join(", ", parts) + ")";
    }

    private String excluded() {
        List<String> parts = new ArrayList<>();
        excludedStates.forEach((state, n) -> parts.add(state + " " + n));
        return parts.isEmpty() ? "-" : String.join(", ", parts) + " (the killed process's leftover file or none)";
    }

    private void ranges(StringBuilder out, String title, List<Range> ranges, boolean worst) {
        if (ranges.isEmpty()) {
            return;
        }
        out.append(title).append(" (workers: from … to, samples each, cause):\n");
        // workers with the same range (same rounds, same cause) on one line
        List<List<Range>> lines = new ArrayList<>();
        for (Range r : ranges) {
            List<Range> same = lines.stream().filter(line -> line.get(0).firstRound() == r.firstRound()
                    && line.get(0).lastRound() == r.lastRound() && line.get(0).cause().equals(r.cause())).findFirst()
                    .orElse(null);
            if (same == null) {
                lines.add(new ArrayList<>(List.of(r)));
            } else {
                same.add(r);
            }
        }
        int shown = 0;
        for (List<Range> line : lines) {
            if (shown++ == 40) {
                out.append("  … ").append(lines.size() - 40).append(" more\n");
                break;
            }
            Range r = line.get(0);
            out.append(String.format("  %s: %s … %s, %d: %s%s%n",
                    String.join(" ", line.stream().map(each -> "w" + (each.worker() + 1)).toList()), rel(r.first(), from),
                    rel(r.last(), from), r.samples(), r.cause(), worst ? " (up to " + Analysis.seconds(
                            line.stream().mapToLong(Range::worstMs).max().orElse(0)) + " past it)" : ""));
        }
    }

    private static String target(Fault f) {
        return f.worker() >= 0 ? " w" + (f.worker() + 1) : "";
    }

    private String describe(Fault f) {
        return switch (f.kind()) {
            case PLUGIN_UPDATE -> "new jar in plugins/ (" + f.detail() + ")";
            case WORKER_CUT, PROVIDER_OUTAGE -> "until " + rel(f.end(), from);
            case WORKER_KILL, MANAGER_KILL -> "restarted " + rel(f.end(), from) + ", answering "
                    + (f.ready() > 0 ? rel(f.ready(), from) : "never") + (f.detail().isEmpty() ? "" : " (" + f.detail() + ")");
        };
    }

    static String rel(long epochMillis, long from) {
        return String.format("%+.1f s", (epochMillis - from) / 1000.0);
    }
}
