package io.tokenhost.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tokenhost.api.telemetry.DeliveryRecord;
import io.tokenhost.api.telemetry.ObtainRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the audit trail writes, encoded as conf/logback.xml encodes it (logback's JsonEncoder). */
class AuditTrailTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(AuditTrail.LOGGER);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final JsonEncoder encoder = new JsonEncoder();
    private final AuditTrail trail = new AuditTrail();

    @BeforeEach
    void capture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithThreadName(false);
        encoder.setWithContext(false);
        encoder.setWithMDC(false);
        encoder.setWithArguments(false);
        encoder.setWithThrowable(false);
        encoder.setWithFormattedMessage(false);
        encoder.start();
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
    }

    private List<String> lines() {
        return appender.list.stream().map(e -> new String(encoder.encode(e), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void eachEventIsOneJsonObjectOnOneLineWithNamesNeverValues() {
        trail.obtainEnded(new ObtainRecord("s3", ObtainRecord.Result.SUCCESS, Duration.ofMillis(1500),
                Optional.of("0123456789ab"), Optional.of(Instant.parse("2026-11-28T13:00:00Z")), 0));
        trail.obtainEnded(new ObtainRecord("s3", ObtainRecord.Result.FAILURE, Duration.ofMillis(30), Optional.empty(),
                Optional.empty(), 4));
        trail.delivered(new DeliveryRecord("s3", "io.tokenhost.s3 [12]", 7, false, Optional.of("0123456789ab"),
                Optional.of("secret-looking error text")));
        trail.configuration("changed", "io.tokenhost.s3", List.of("role-arn", "secret.key"));
        trail.pluginFailed("corrupt.jar", "not_installed");

        List<String> lines = lines();
        assertThat(lines).hasSize(5).allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}\n")
                .containsOnlyOnce("\n").contains("\"loggerName\":\"tokenhost.audit\""));
        assertThat(lines.get(0)).contains("{\"event\":\"obtain\"},{\"service\":\"s3\"},{\"result\":\"success\"},"
                + "{\"duration_seconds\":\"1.5\"},{\"fingerprint\":\"0123456789ab\"},"
                + "{\"valid_until\":\"2026-11-28T13:00:00Z\"}");
        assertThat(lines.get(1)).contains("{\"result\":\"failure\"}", "{\"consecutive_failures\":\"4\"}")
                .doesNotContain("fingerprint");
        assertThat(lines.get(2)).contains("{\"event\":\"delivery\"}", "{\"receiver\":\"io.tokenhost.s3 [12]\"}",
                "{\"result\":\"failure\"}").doesNotContain("secret-looking");
        assertThat(lines.get(3)).contains("{\"pid\":\"io.tokenhost.s3\"},{\"keys\":\"role-arn,secret.key\"}");
        assertThat(lines.get(4)).contains("{\"event\":\"plugin_failed\"},{\"file\":\"corrupt.jar\"}");
    }
}
