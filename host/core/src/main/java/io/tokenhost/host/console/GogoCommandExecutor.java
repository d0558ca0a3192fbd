package io.tokenhost.host.console;

import io.tokenhost.host.common.CommandResult;
import io.tokenhost.host.common.ConsoleProtocol;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/**
 * Runs a command line in a fresh Gogo session whose stdout and stderr are captured (Gogo redirects
 * {@code System.out} per thread while a command runs). Prints a non-null result the way the
 * interactive shell does. No stdin: a command that reads input sees end of file.
 */
final class GogoCommandExecutor implements CommandExecutor {

    private final CommandProcessor processor;

    GogoCommandExecutor(CommandProcessor processor) {
        this.processor = processor;
    }

    @Override
    public CommandResult execute(String commandLine) {
        BoundedOutput captured = new BoundedOutput(ConsoleProtocol.MAX_OUTPUT);
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        int status;
        try (CommandSession session = processor.createSession(InputStream.nullInputStream(), out, out)) {
            Object result = session.execute(commandLine);
            if (result != null) {
                out.println(session.format(result, Converter.INSPECT));
            }
            status = ConsoleProtocol.OK;
        } catch (Exception e) {
            out.println("Error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            status = ConsoleProtocol.FAILED;
        }
        out.flush();
        return new CommandResult(captured.toByteArray(), status);
    }
}
