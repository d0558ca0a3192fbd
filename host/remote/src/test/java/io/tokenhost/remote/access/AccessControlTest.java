package io.tokenhost.remote.access;

import static io.tokenhost.remote.access.AccessPolicyTest.policy;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AccessControlTest {

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<AccessPolicy> putInForce = new CopyOnWriteArrayList<>();
    private final AtomicReference<Set<String>> providers = new AtomicReference<>(Set.of());
    private final AccessControl control = new AccessControl(providers::get, putInForce::add);

    @BeforeEach
    void capture() {
        logs.start();
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(AccessControl.class)).addAppender(logs);
    }

    @AfterEach
    void release() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(AccessControl.class)).detachAppender(logs);
    }

    private List<String> at(Level level) {
        return logs.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void noPolicyIsInForceAtOnceWithAWarning() {
        control.configure(AccessPolicy.ALLOW_ALL);
        assertThat(putInForce).containsExactly(AccessPolicy.ALLOW_ALL);
        assertThat(at(Level.WARN)).singleElement().asString().contains("every authenticated worker receives every service");
    }

    @Test
    void aPolicyNamingKnownServicesIsInForceAtOnce() {
        providers.set(Set.of("hadoopfs.alice", "hadoopfs.bob"));
        AccessPolicy p = policy(Map.of("access.hadoopfs.alice", "etl-alice-*", "access.default", "deny"));
        control.configure(p);
        assertThat(putInForce).containsExactly(p);
        assertThat(at(Level.INFO)).singleElement().asString().contains("hadoopfs.alice -> etl-alice-*");
    }

    @Test
    void aPolicyNamingAnUnknownServiceIsHeldBackNamingTheKeyAndTheLastGoodStays() {
        providers.set(Set.of("hadoopfs.alice", "hadoopfs.bob"));
        AccessPolicy good = policy(Map.of("access.hadoopfs.alice", "etl-alice-*"));
        control.configure(good);
        AccessPolicy typo = policy(Map.of("access.hadoopfs.alcie", "etl-alice-*"));
        control.configure(typo);
        assertThat(putInForce).containsExactly(good);
        assertThat(control.inForce()).isEqualTo(good);
        assertThat(at(Level.ERROR)).singleElement().asString()
                .contains("access.hadoopfs.alcie names a service that no provider of this manager offers")
                .contains("the policy in force stays");
        control.containerServices(Set.of("hadoopfs.alice"));
        assertThat(at(Level.ERROR)).as("reported once").hasSize(1);
    }

    @Test
    void atStartAHeldBackPolicySendsNothingUntilItsServicesAppear() {
        AccessPolicy p = policy(Map.of("access.hadoopfs.alice", "etl-alice-*", "access.hadoopfs.bob", "etl-bob-*"));
        control.configure(p);
        assertThat(putInForce).containsExactly(AccessPolicy.DENY_ALL);
        assertThat(at(Level.ERROR)).singleElement().asString().contains("no service is sent to any worker");
        control.containerServices(Set.of("hadoopfs.alice"));
        assertThat(putInForce).containsExactly(AccessPolicy.DENY_ALL);
        control.containerServices(Set.of("hadoopfs.alice", "hadoopfs.bob"));
        assertThat(putInForce).containsExactly(AccessPolicy.DENY_ALL, p);
        assertThat(control.inForce()).isEqualTo(p);
    }

    /** Fails if a held-back policy shows only in the log: token:status must list it, and drop it once it is over. */
    @Test
    void aHeldBackPolicyIsReportedNamingTheKeyAndTheReportEndsWhenAPolicyIsInForce() {
        List<String> reports = new CopyOnWriteArrayList<>();
        AccessControl reported = new AccessControl(providers::get, putInForce::add, new AccessControl.Report() {
            @Override
            public void heldBack(String problem, boolean previousKept) {
                reports.add("held back" + (previousKept ? " (kept): " : " (none in force): ") + problem);
            }

            @Override
            public void cleared() {
                reports.add("cleared");
            }
        });
        providers.set(Set.of("hadoopfs.alice", "hadoopfs.bob"));
        AccessPolicy good = policy(Map.of("access.hadoopfs.alice", "etl-alice-*"));
        reported.configure(good);
        assertThat(reports).as("nothing to report for a policy in force").isEmpty();

        reported.configure(policy(Map.of("access.hadoopfs.alcie", "etl-alice-*")));
        assertThat(reports).containsExactly("held back (kept): access.hadoopfs.alcie names a service that no provider"
                + " of this manager offers (known: hadoopfs.alice, hadoopfs.bob); it is checked again with every new"
                + " container");
        reported.containerServices(Set.of("hadoopfs.alice"));
        assertThat(reports).as("reported once").hasSize(1);

        reported.configure(good); // the fix: the same policy as in force
        assertThat(reports).last().isEqualTo("cleared");
        assertThat(reported.inForce()).isEqualTo(good);

        reports.clear();
        reported.configure(policy(Map.of("access.s3", "*")));
        assertThat(reports).singleElement().asString().startsWith("held back (kept): access.s3 names");
        reported.containerServices(Set.of("s3")); // its provider has obtained: it comes into force
        assertThat(reports).containsExactly(reports.get(0), "cleared");
        assertThat(reported.inForce()).isEqualTo(policy(Map.of("access.s3", "*")));
    }

    @Test
    void atStartAHeldBackPolicyIsReportedAsNoneInForce() {
        List<String> reports = new CopyOnWriteArrayList<>();
        AccessControl reported = new AccessControl(providers::get, putInForce::add, new AccessControl.Report() {
            @Override
            public void heldBack(String problem, boolean previousKept) {
                reports.add(previousKept + " " + problem);
            }

            @Override
            public void cleared() {
                reports.add("cleared");
            }
        });
        reported.configure(policy(Map.of("access.hadoopfs.alice", "etl-alice-*")));
        assertThat(reports).singleElement().asString().startsWith("false access.hadoopfs.alice names a service")
                .contains("(known: none yet)");
    }

    /** Fails if a provider leaving (a plugin update, the host stopping) holds back the policy in force with an ERROR. */
    @Test
    void aProviderLeavingDoesNotHoldBackThePolicyInForce() {
        List<String> reports = new CopyOnWriteArrayList<>();
        AccessControl reported = new AccessControl(providers::get, putInForce::add, new AccessControl.Report() {
            @Override
            public void heldBack(String problem, boolean previousKept) {
                reports.add(problem);
            }

            @Override
            public void cleared() {
                reports.add("cleared");
            }
        });
        providers.set(Set.of("x", "y"));
        AccessPolicy p = policy(Map.of("access.y", "w1", "access.default", "deny"));
        reported.configure(p);
        reported.configure(policy(Map.of("access.y", "w1", "access.default", "deny"))); // saved again, equal
        providers.set(Set.of("x"));
        reported.containerServices(Set.of("x"));
        assertThat(at(Level.ERROR)).isEmpty();
        assertThat(reports).isEmpty();
        assertThat(reported.inForce()).isEqualTo(p);
    }
}
