package io.tokenhost.launcher;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import io.tokenhost.host.common.MessageSanitiser;
import java.util.stream.Collectors;

/**
 * Logback's stack trace ({@code %ex}) with every line passed through {@link MessageSanitiser}:
 * credentials that a library put into an exception message (a plugin's, or one SCR logs when a
 * component fails to activate) are masked and control characters removed, line by line, so the
 * trace keeps its shape. {@code conf/logback.xml} installs it as {@code %ex}.
 */
public final class SanitisedThrowableConverter extends ThrowableProxyConverter {

    /** A stack trace line is short; a message line may name deep paths. */
    static final int MAX_LINE = 2 * MessageSanitiser.MAX_LENGTH;

    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        String trace = super.throwableProxyToString(proxy);
        String sanitised = trace.lines()
                .map(line -> {
                    int indent = 0;
                    while (indent < line.length() && line.charAt(indent) == '\t') {
                        indent++;
                    }
                    return line.substring(0, indent) + MessageSanitiser.sanitise(line.substring(indent), MAX_LINE);
                })
                .collect(Collectors.joining(System.lineSeparator()));
        return trace.endsWith("\n") ? sanitised + System.lineSeparator() : sanitised;
    }
}
