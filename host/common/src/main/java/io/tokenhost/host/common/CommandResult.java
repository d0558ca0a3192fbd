package io.tokenhost.host.common;

import java.nio.charset.StandardCharsets;

/** What a command line produced: its output (UTF-8) and exit status. */
public record CommandResult(byte[] output, int status) {

    public static CommandResult of(String output, int status) {
        return new CommandResult(output.getBytes(StandardCharsets.UTF_8), status);
    }

    public String outputText() {
        return new String(output, StandardCharsets.UTF_8);
    }
}
