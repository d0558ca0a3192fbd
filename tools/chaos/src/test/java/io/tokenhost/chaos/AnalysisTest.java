package io.tokenhost.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.chaos.Analysis.Rules;
import io.tokenhost.chaos.Analysis.Verdict;
import io.tokenhost.chaos.Fault.Kind;
import io.tokenhost.chaos.Sample.State;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdicts on hand-made samples, faults and obtain logs; times in millis from 0 = the baseline. */
class AnalysisTest {

    private static final long T0 = 1_800_000_000_000L;
    private final List<Sample> samples = new ArrayList<>();
    private final List<Obtain> obtains = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();

    /** A token file per worker, one state function of the time from the baseline; every 100 ms from {@code from} to {@code to}. */
    private interface Files {
        Sample at(int round, long t, int worker);
    }

    private void sample(long from, long to, int workers, Files files) {
        for (long t = from; t < to; t += 100) {
            int round = (int) (t / 100);
            for (int w = 0; w < workers; w++) {
                samples.add(files.at(round, t, w));
            }
        }
    }

    /** {@code t} from the baseline; the other times absolute. */
    private static Sample token(int round, long t, int worker, long serial, long validUntil, long modified) {
        long at = T0 + t;
        return new Sample(at, round, worker, validUntil > at ? State.VALID : State.EXPIRED, serial, validUntil, modified);
    }

    private static Sample absent(int round, long t, int worker) {
        return new Sample(T0 + t, round, worker, State.ABSENT, 0, 0, 0);
    }

    private void ok(long serial, long at) {
        obtains.add(new Obtain(serial, T0 + at, T0 + at + 5, "ok", T0 + at + 5 + 10_000, "1"));
    }

    private void failed(long serial, long at) {
        obtains.add(new Obtain(serial, T0 + at, T0 + at + 5, "fail", 0, "1"));
    }

    private Report analyse(long to, int workers) {
        return Analysis.analyse(samples, faults, obtains, T0, T0 + to, workers, Rules.defaults(), List.of("test"), List.of());
    }

    @Test
    void aFileHeldPastItsValidUntilIsExpiredAndWithinTheToleranceLate() {
        ok(1, -1_000); // valid until 9,005
        sample(0, 12_000, 1, (r, t, w) -> token(r, t, w, 1, T0 + 9_005, T0 - 990));

        Report report = analyse(12_000, 1);

        assertThat(report.count(Verdict.VALID)).isEqualTo(91); // 0 .. 9,000
        assertThat(report.count(Verdict.LATE)).as("a copy that stayed longer is expired from its valid-until on").isZero();
        assertThat(report.count(Verdict.EXPIRED)).isEqualTo(29); // 9,100 .. 11,900
        assertThat(report.expired()).singleElement().satisfies(range -> {
            assertThat(range.cause()).isEqualTo("serial 1, valid until +9.0 s");
            assertThat(range.first()).isEqualTo(T0 + 9_100);
            assertThat(range.last()).isEqualTo(T0 + 11_900);
        });
        assertThat(report.violations()).singleElement().asString().startsWith("29 EXPIRED samples");
        assertThat(report.text()).contains("w1: +9.1 s … +11.9 s, 29: serial 1, valid until +9.0 s (up to 2.9 s past it)")
                .contains("FAILED");

        samples.clear(); // withdrawn 450 ms after its valid-until: late, not expired
        sample(0, 12_000, 1, (r, t, w) -> t < 9_500 ? token(r, t, w, 1, T0 + 9_005, T0 - 990) : absent(r, t, w));
        ok(2, 9_000);
        Report late = analyse(9_500, 1);
        assertThat(late.count(Verdict.LATE)).isEqualTo(4); // 9,100 .. 9,400
        assertThat(late.count(Verdict.EXPIRED)).isZero();
        assertThat(late.latestLateMs()).isEqualTo(395);
    }

    @Test
    void noFileWhileAValidTokenExistedIsUnexpectedAndNamesTheToken() {
        ok(1, 0);
        ok(2, 5_000);
        sample(0, 10_000, 2, (r, t, w) -> w == 1 && t >= 8_000 && t < 9_000 ? absent(r, t, w)
                : token(r, t, w, 1, T0 + 10_005, T0 + 5));

        Report report = analyse(10_000, 2);

        assertThat(report.count(Verdict.ABSENT_UNEXPECTED)).isEqualTo(10);
        assertThat(report.unexpectedAbsent()).singleElement().satisfies(range -> {
            assertThat(range.worker()).isEqualTo(1);
            assertThat(range.cause()).isEqualTo("a valid token existed: serial 2 (revision 1), returned at +5.0 s,"
                    + " valid until +15.0 s");
        });
        assertThat(report.passed()).isFalse();
    }

    @Test
    void noFileWhileNoValidTokenExistedAndTheManagerKeptTryingIsExplained() {
        ok(1, 0); // valid until 10,005
        for (int i = 0; i < 6; i++) {
            failed(2 + i, 5_000 + i * 3_000); // 5 s .. 20 s, 3 s apart
        }
        ok(8, 23_000);
        sample(0, 30_000, 1, (r, t, w) -> t < 10_100 ? token(r, t, w, 1, T0 + 10_005, T0 + 5)
                : t < 25_000 ? absent(r, t, w) : token(r, t, w, 8, T0 + 33_005, T0 + 23_010));

        Report report = analyse(30_000, 1);

        assertThat(report.count(Verdict.ABSENT_NO_TOKEN)).isEqualTo(149); // 10,100 .. 24,900
        assertThat(report.count(Verdict.ABSENT_UNEXPECTED)).isZero();
        assertThat(report.passed()).isTrue();
        assertThat(report.noTokenAbsent()).isNotEmpty();
        assertThat(report.obtains().attempts()).isEqualTo(8);
        assertThat(report.obtains().ok()).isEqualTo(2);
        assertThat(report.obtains().longestWaitWithoutTokenMs()).isEqualTo(2_995);
    }

    @Test
    void noFileAndNoObtainForLongerThanTheRetryCapIsUnexpected() {
        ok(1, 0);
        failed(2, 5_000);
        failed(3, 9_000); // then nothing for 60 s
        ok(4, 69_000);
        sample(0, 72_000, 1, (r, t, w) -> t < 10_100 ? token(r, t, w, 1, T0 + 10_005, T0 + 5)
                : t < 69_100 ? absent(r, t, w) : token(r, t, w, 4, T0 + 79_005, T0 + 69_010));

        Report report = analyse(72_000, 1);

        // explained up to 9,005 + 30 s + 2 s, then unexpected until the obtain at 69 s
        assertThat(report.count(Verdict.ABSENT_NO_TOKEN)).isEqualTo(310 + 1); // 10,100 .. 41,000, and 69,000
        assertThat(report.count(Verdict.ABSENT_UNEXPECTED)).isEqualTo(279); // 41,100 .. 68,900
        assertThat(report.unexpectedAbsent()).singleElement().extracting(Report.Range::cause).isEqualTo(
                "no valid token, and no obtain since +9.0 s (the manager must retry at most 30.0 s apart)");
        assertThat(report.obtains().longestWaitWithoutTokenMs()).as("from the expiry at 10,005").isEqualTo(58_995);
    }

    @Test
    void aKilledManagerExplainsMissingFilesUntilShortlyAfterItAnswersButNeverExpiredOnes() {
        ok(1, 0);
        ok(2, 5_000); // valid until 15,005; the manager is killed at 6 s, back at 18 s, answering at 20 s
        faults.add(new Fault(Kind.MANAGER_KILL, -1, T0 + 6_000, T0 + 18_000, T0 + 20_000, ""));
        ok(3, 21_000);
        sample(0, 31_000, 2, (r, t, w) -> {
            if (t >= 24_000 + w * 5_000) { // w1 back at 24 s; w2 at 29 s, within the 10 s after the answer
                return token(r, t, w, 3, T0 + 31_005, T0 + 24_000);
            }
            if (w == 0) {
                return t < 15_100 ? token(r, t, w, 2, T0 + 15_005, T0 + 5_010) : absent(r, t, w); // withdrawn
            }
            return token(r, t, w, 2, T0 + 15_005, T0 + 5_010); // keeps its expired token
        });

        Report report = analyse(31_000, 2);

        assertThat(report.count(Verdict.ABSENT_FAULT)).isEqualTo(89); // w1 15,100 .. 23,900
        assertThat(report.absentByFault()).containsEntry(Kind.MANAGER_KILL, 89);
        assertThat(report.count(Verdict.EXPIRED)).isEqualTo(139); // w2 15,100 .. 28,900
        assertThat(report.count(Verdict.ABSENT_UNEXPECTED)).isZero();
        assertThat(report.recoveries()).singleElement().satisfies(r -> assertThat(r.millis()).isEqualTo(11_000));
    }

    @Test
    void aKilledWorkersLeftoverFileIsExcludedUntilItsNewProcessWritesAndRecoveryWaitsForThatWrite() {
        ok(1, 0);
        ok(2, 5_000);
        ok(3, 10_000);
        // w2 killed at 8 s (its file: serial 2, valid until 15,005), restarted at 10 s, answering at 14 s,
        // writes serial 3 at 16 s
        faults.add(new Fault(Kind.WORKER_KILL, 1, T0 + 8_000, T0 + 10_000, T0 + 14_000, ""));
        sample(0, 20_000, 2, (r, t, w) -> {
            if (w == 0) {
                return t < 10_100 ? token(r, t, w, 2, T0 + 15_005, T0 + 5_010) : token(r, t, w, 3, T0 + 20_005, T0 + 10_010);
            }
            return t < 16_000 ? token(r, t, w, 2, T0 + 15_005, T0 + 5_010) : token(r, t, w, 3, T0 + 20_005, T0 + 16_000);
        });

        Report report = analyse(20_000, 2);

        assertThat(report.count(Verdict.EXCLUDED)).isEqualTo(80); // w2 8,000 .. 15,900
        assertThat(report.excludedStates()).containsEntry(State.VALID, 71).containsEntry(State.EXPIRED, 9);
        assertThat(report.count(Verdict.EXPIRED)).isZero();
        assertThat(report.passed()).isTrue();
        assertThat(report.recoveries()).singleElement().satisfies(r -> assertThat(r.millis()).isEqualTo(6_000));
    }

    @Test
    void aCutWorkerMayMissItsTokensUntilShortlyAfterTheRelayIsBack() {
        ok(1, 0);
        ok(2, 5_000);
        ok(3, 10_000);
        ok(4, 15_000);
        ok(5, 20_000);
        faults.add(new Fault(Kind.WORKER_CUT, 0, T0 + 6_000, T0 + 16_000, 0, ""));
        sample(0, 30_000, 1, (r, t, w) -> t < 15_100 ? token(r, t, w, 2, T0 + 15_005, T0 + 5_010)
                : t < 27_000 ? absent(r, t, w) : token(r, t, w, 5, T0 + 30_005, T0 + 27_000));

        Report report = analyse(30_000, 1);

        assertThat(report.count(Verdict.ABSENT_FAULT)).isEqualTo(109); // 15,100 .. 25,900
        assertThat(report.count(Verdict.ABSENT_UNEXPECTED)).isEqualTo(10); // 26,000 .. 26,900
        assertThat(report.recoveries()).singleElement().satisfies(r -> assertThat(r.millis()).isEqualTo(11_000));
    }

    @Test
    void aFaultNeverRecoveredFromIsShownAsSuch() {
        ok(1, 0);
        faults.add(new Fault(Kind.PROVIDER_OUTAGE, -1, T0 + 2_000, T0 + 5_000, 0, ""));
        sample(0, 12_000, 1, (r, t, w) -> token(r, t, w, 1, T0 + 10_005, T0 + 5));

        Report report = analyse(12_000, 1);

        assertThat(report.recoveries()).singleElement().satisfies(r -> assertThat(r.millis()).isEqualTo(0));
        samples.clear();
        sample(0, 12_000, 1, (r, t, w) -> t < 4_000 ? token(r, t, w, 1, T0 + 10_005, T0 + 5) : absent(r, t, w));
        assertThat(analyse(12_000, 1).recoveries()).singleElement().satisfies(r -> assertThat(r.millis()).isEqualTo(-1));
        assertThat(analyse(12_000, 1).text()).contains("provider outage", "never", "not within 7.0 s");
    }
}
