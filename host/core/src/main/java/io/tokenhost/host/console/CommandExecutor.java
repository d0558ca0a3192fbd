package io.tokenhost.host.console;

import io.tokenhost.host.common.CommandResult;
/** Runs one command line; never throws: failures are a non-zero status with text in the output. */
@FunctionalInterface
public interface CommandExecutor {
    CommandResult execute(String commandLine);
}
