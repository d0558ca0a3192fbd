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
}
