package io.tokenhost.metrics;

import io.tokenhost.api.telemetry.DeliveryRecord;
import io.tokenhost.api.telemetry.ObtainRecord;
import io.tokenhost.api.telemetry.TokenEvents;
import java.util.Collection;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Writes audit events to the logger {@value #LOGGER} as key-value pairs; {@code conf/logback.xml}
 * sends that logger alone to {@code log/audit.jsonl}, one JSON object per line (logback's
 * JsonEncoder). What is written: names, results, versions, counts, times and 12-hex-digit token
 * fingerprints; never token bytes, configuration values, keys or passwords (receivers' error texts
 * are left out too: only that one failed).
 */
final class AuditTrail implements TokenEvents {

    static final String LOGGER = "tokenhost.audit";
    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER);

    @Override
    public void obtainEnded(ObtainRecord record) {
        LoggingEventBuilder line = event("obtain").addKeyValue("service", record.service())
                .addKeyValue("result", record.result().name().toLowerCase(Locale.ROOT))
                .addKeyValue("duration_seconds", record.duration().toMillis() / 1000.0);
        record.fingerprint().ifPresent(f -> line.addKeyValue("fingerprint", f));
        record.validUntil().ifPresent(u -> line.addKeyValue("valid_until", u.toString()));
        if (record.result() == ObtainRecord.Result.FAILURE) {
            line.addKeyValue("consecutive_failures", record.consecutiveFailures());
        }
        line.log("obtain");
    }

    @Override
    public void delivered(DeliveryRecord record) {
        LoggingEventBuilder line = event(record.withdrawal() ? "withdrawal_delivery" : "delivery")
                .addKeyValue("service", record.service()).addKeyValue("receiver", record.receiver())
                .addKeyValue("version", record.containerVersion())
                .addKeyValue("result", record.succeeded() ? "success" : "failure");
        record.fingerprint().ifPresent(f -> line.addKeyValue("fingerprint", f));
        line.log("delivery");
    }

    @Override
    public void withdrawn(String service, long containerVersion) {
        event("withdrawal").addKeyValue("service", service).addKeyValue("version", containerVersion)
                .log("withdrawal");
    }

    void plugin(String action, String symbolicName, String version, String file) {
        event("plugin_" + action).addKeyValue("bundle", symbolicName).addKeyValue("bundle_version", version)
                .addKeyValue("file", file).log("plugin " + action);
    }

    /** A jar in plugins/ whose bundle is not active: {@code state} says how far it got. */
    void pluginFailed(String file, String state) {
        event("plugin_failed").addKeyValue("file", file).addKeyValue("state", state).log("plugin failed");
    }

    /** A configuration changed or was deleted: its PID and the names of its keys, never their values. */
    void configuration(String action, String pid, Collection<String> keys) {
        event("configuration_" + action).addKeyValue("pid", pid).addKeyValue("keys", String.join(",", keys))
                .log("configuration " + action);
    }

    private static LoggingEventBuilder event(String name) {
        return AUDIT.atInfo().addKeyValue("event", name);
    }
}
