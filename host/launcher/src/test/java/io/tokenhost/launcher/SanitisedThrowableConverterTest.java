package io.tokenhost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SanitisedThrowableConverterTest {

    @Test
    void aStackTraceKeepsItsShapeAndLosesTheCredentialsInItsMessages(@TempDir Path dir) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        context.start();
        Path log = dir.resolve("test.log");
        // As conf/logback.xml does it: the conversion word "ex" bound to the sanitising converter.
        String xml = "<configuration><conversionRule conversionWord=\"ex\" class=\""
                + SanitisedThrowableConverter.class.getName() + "\"/>"
                + "<appender name=\"F\" class=\"ch.qos.logback.core.FileAppender\"><file>" + log + "</file>"
                + "<encoder><pattern>%msg%n%ex</pattern></encoder></appender>"
                + "<root level=\"INFO\"><appender-ref ref=\"F\"/></root></configuration>";
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        String hex = "7b22746f6b656e223a2273336372337430313233343536373839616263646566";
        Exception error = new IllegalStateException("activate failed\u001B[2J",
                new EOFException("\\n not found: limit=32 content=" + hex + "\u2026 password=hunter2"));
        context.getLogger("test").error("component failed", error);
        context.stop();

        String text = Files.readString(log);

        assertThat(text).doesNotContain(hex).doesNotContain("hunter2").doesNotContain("\u001B")
                .contains("java.lang.IllegalStateException: activate failed",
                        "Caused by: java.io.EOFException: \\n not found: limit=32 content=*** password=***",
                        "\tat io.tokenhost.launcher.SanitisedThrowableConverterTest.");
        assertThat(text.lines().count()).as("one line per frame, as before").isGreaterThan(5);
    }
}
