package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.host.core.ReceivedService.State;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The valid-until travels with the container: the manager puts its provider's into it, and a
 * worker withdraws received tokens that expire before a newer container renews them. Driven by a
 * manual clock and timer ({@link DeterministicManager}).
 */
class ReceivedExpiryTest {

    private static final Instant START = DeterministicManager.START;

    private final DeterministicManager harness = new DeterministicManager();
    private final FakeTimer timer = harness.timer;
    private final TokenManager worker = harness.manager;
    private final TestReceiver hdfs = new TestReceiver("hdfs");
    private final TestReceiver s3 = new TestReceiver("s3");
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ReceivedTokens.class);

    @BeforeEach
    void setUp() {
        logs.start();
        logger.addAppender(logs);
        logger.setLevel(Level.INFO);
        worker.addReceiver(hdfs, "hdfs-receiver");
        worker.addReceiver(s3, "s3-receiver");
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(logs);
        logger.setLevel(null);
        worker.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** hdfs valid until START + {@code hdfsMinutes}, s3 without a valid-until. */
    private static TokenContainer container(long version, String hdfsTokens, long hdfsMinutes) {
        return TokenContainer.of(version, Map.of("hdfs", bytes(hdfsTokens), "s3", bytes("s3-tokens")),
                Map.of("hdfs", START.plus(Duration.ofMinutes(hdfsMinutes))));
    }

    private void apply(TokenContainer container) {
        worker.applyRemote(container);
        harness.settle();
    }

    private List<String> errors() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private ReceivedService status(String service) {
        return worker.receivedServices().stream().filter(r -> r.service().equals(service)).findFirst().orElseThrow();
    }

    @Test
    void theManagerPutsItsProvidersValidUntilIntoTheContainer() {
        DeterministicManager managerSide = new DeterministicManager();
        TestProvider withExpiry = new TestProvider("hdfs", managerSide.clock);
        withExpiry.lifetime = Duration.ofMinutes(30);
        TestProvider withoutExpiry = new TestProvider("s3", managerSide.clock);
        withoutExpiry.withoutExpiry = true;
        managerSide.manager.addProvider(withExpiry, "p1");
        managerSide.manager.addProvider(withoutExpiry, "p2");
        managerSide.settle();

        TokenContainer container = managerSide.manager.container();
        assertThat(container.validUntil("hdfs")).contains(START.plus(Duration.ofMinutes(30)));
        assertThat(container.validUntil("s3")).isEmpty();
        managerSide.manager.close();
    }

    @Test
    void expiredTokensAreWithdrawnOnceWithOneErrorAndTheServiceShowsExpired() {
        apply(container(5, "h1", 10));
        assertThat(hdfs.events).containsExactly("h1");
        assertThat(status("hdfs").state()).isEqualTo(State.VALID);
        assertThat(status("hdfs").fingerprint()).isPresent();

        timer.advance(Duration.ofMinutes(9).plusSeconds(59));
        assertThat(hdfs.events).as("not yet").containsExactly("h1");
        assertThat(errors()).isEmpty();

        timer.advance(Duration.ofSeconds(1));
        harness.settle();
        assertThat(hdfs.events).containsExactly("h1", "WITHDRAWN");
        assertThat(s3.events).as("a service without valid-until stays").containsExactly("s3-tokens");
        assertThat(worker.container().services()).containsExactly("s3");
        assertThat(worker.containerVersion()).as("still the manager's version").isEqualTo(5);
        ReceivedService expired = status("hdfs");
        assertThat(expired.state()).isEqualTo(State.EXPIRED);
        assertThat(expired.validUntil()).contains(START.plus(Duration.ofMinutes(10)));
        assertThat(expired.fingerprint()).isEmpty();
        assertThat(status("s3").state()).isEqualTo(State.VALID);
        assertThat(errors()).containsExactly("Tokens of 'hdfs' expired at 2026-01-01T00:10:00Z and no newer container"
                + " came from the manager (the last one applied here: version 5 at 2026-01-01T00:00:00Z): withdrawn"
                + " from receivers");

        timer.advance(Duration.ofHours(3));
        harness.settle();
        assertThat(hdfs.events).as("withdrawn once").containsExactly("h1", "WITHDRAWN");
        assertThat(errors()).hasSize(1);
        assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("h1", "s3-tokens"));
    }

    @Test
    void aNewerContainerBeforeTheDeadlineRenewsAndMovesIt() {
        apply(container(5, "h1", 10));
        timer.advance(Duration.ofMinutes(8));
        apply(container(6, "h2", 20));
        timer.advance(Duration.ofMinutes(5)); // past the first deadline
        harness.settle();
        assertThat(hdfs.events).containsExactly("h1", "h2");
        assertThat(status("hdfs").state()).isEqualTo(State.VALID);
        assertThat(errors()).isEmpty();

        timer.advance(Duration.ofMinutes(7));
        harness.settle();
        assertThat(hdfs.events).containsExactly("h1", "h2", "WITHDRAWN");
        assertThat(errors()).singleElement().asString().contains("expired at 2026-01-01T00:20:00Z", "version 6");
    }

    @Test
    void aLaterContainerWithFreshTokensDeliversThemAgainEvenWithALowerVersion() {
        apply(container(40, "h1", 10));
        timer.advance(Duration.ofMinutes(15));
        harness.settle();
        assertThat(hdfs.events).containsExactly("h1", "WITHDRAWN");

        apply(container(40, "h1", 10)); // the same expired tokens again: nothing new
        assertThat(hdfs.events).containsExactly("h1", "WITHDRAWN");
        assertThat(errors()).hasSize(1);

        apply(container(1, "h2", 60)); // a restarted manager counts from 1
        assertThat(hdfs.events).containsExactly("h1", "WITHDRAWN", "h2");
        assertThat(s3.events).as("unchanged, not redelivered").containsExactly("s3-tokens");
        assertThat(status("hdfs").state()).isEqualTo(State.VALID);
        assertThat(worker.containerVersion()).isEqualTo(1);
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .isEqualTo("Tokens of 'hdfs' are valid again: container version 1 brought new ones, valid until"
                        + " 2026-01-01T01:00:00Z; delivered to receivers"));

        timer.advance(Duration.ofMinutes(50));
        harness.settle();
        assertThat(hdfs.events).containsExactly("h1", "WITHDRAWN", "h2", "WITHDRAWN");
        assertThat(errors()).hasSize(2);
    }

    @Test
    void tokensThatArriveExpiredAreNeverDelivered() {
        timer.advance(Duration.ofMinutes(30)); // this host's clock is ahead of the manager's
        apply(container(3, "h1", 10));

        assertThat(hdfs.events).isEmpty();
        assertThat(s3.events).containsExactly("s3-tokens");
        assertThat(worker.container().services()).containsExactly("s3");
        assertThat(status("hdfs").state()).isEqualTo(State.EXPIRED);
        assertThat(errors()).singleElement().asString().contains("'hdfs'", "version 3", "before they arrived",
                "clock ahead");

        apply(container(4, "h1", 10)); // the same stale tokens once more: reported once
        assertThat(errors()).hasSize(1);
        assertThat(hdfs.events).isEmpty();
    }

    @Test
    void aServiceTheManagerDropsIsWithdrawnAndForgottenWithoutAnExpiryError() {
        apply(container(5, "h1", 10));
        apply(TokenContainer.of(6, Map.of("s3", bytes("s3-tokens"))));
        assertThat(hdfs.events).containsExactly("h1", "WITHDRAWN");

        timer.advance(Duration.ofMinutes(20));
        harness.settle();
        assertThat(hdfs.events).containsExactly("h1", "WITHDRAWN");
        assertThat(errors()).isEmpty();
        assertThat(worker.receivedServices()).extracting(ReceivedService::service).containsExactly("s3");
    }

    @Test
    void aReceiverThatAppearsAfterTheExpiryGetsNothing() {
        apply(container(5, "h1", 10));
        timer.advance(Duration.ofMinutes(11));
        TestReceiver late = new TestReceiver("hdfs");
        worker.addReceiver(late, "late");
        harness.settle();
        assertThat(late.events).isEmpty();
    }

    @Test
    void afterCloseNoExpiryFires() {
        apply(container(5, "h1", 10));
        worker.close();
        timer.advance(Duration.ofMinutes(11));
        harness.settle();
        assertThat(hdfs.events).containsExactly("h1");
        assertThat(errors()).isEmpty();
    }
}
