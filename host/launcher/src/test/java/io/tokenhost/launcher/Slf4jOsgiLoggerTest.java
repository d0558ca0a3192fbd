package io.tokenhost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.FormatterLogger;
import org.osgi.service.log.Logger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class Slf4jOsgiLoggerTest {

    private final ch.qos.logback.classic.Logger backend =
            (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("osgi.test");
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeEach
    void attach() {
        events.start();
        backend.addAppender(events);
        backend.setLevel(Level.INFO);
    }

    @AfterEach
    void detach() {
        backend.detachAppender(events);
    }

    @Test
    void formatsPlaceholdersAndKeepsTheTrailingException() {
        Logger log = Slf4jOsgiLogger.create(backend, Logger.class);
        IllegalStateException boom = new IllegalStateException("boom");

        log.info("one {}", "arg");
        log.warn("two {} {}", 1, 2);
        log.error("three {} {} {}", "a", "b", "c", boom);
        log.audit("audited");

        List<ILoggingEvent> logged = events.list;
        assertThat(logged).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("one arg", "two 1 2", "three a b c", "audited");
        assertThat(logged).extracting(ILoggingEvent::getLevel)
                .containsExactly(Level.INFO, Level.WARN, Level.ERROR, Level.INFO);
        assertThat(logged.get(2).getThrowableProxy().getMessage()).isEqualTo("boom");
    }

    @Test
    void respectsTheSlf4jLevel() throws Exception {
        Logger log = Slf4jOsgiLogger.create(backend, Logger.class);
        boolean[] ran = {false};

        log.debug("hidden {}", "x");
        log.debug(l -> ran[0] = true);

        assertThat(events.list).isEmpty();
        assertThat(ran[0]).isFalse();
        assertThat(log.isDebugEnabled()).isFalse();
        assertThat(log.isInfoEnabled()).isTrue();
        assertThat(log.getName()).isEqualTo("osgi.test");
    }

    @Test
    void formatterLoggerUsesPrintfSyntax() {
        FormatterLogger log = Slf4jOsgiLogger.create(backend, FormatterLogger.class);

        log.info("%s has %d tokens", "hdfs", 3);

        assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("hdfs has 3 tokens");
    }
}
