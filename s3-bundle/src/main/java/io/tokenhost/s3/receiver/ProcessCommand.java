package io.tokenhost.s3.receiver;

import java.nio.file.Path;

/**
 * The {@code credential_process} line of a profile: the command and the credentials file it prints,
 * each quoted for both readers of that line, a POSIX shell (the AWS SDK for Java v2 runs
 * {@code sh -c}) and Python's {@code shlex.split} (botocore, the AWS CLI).
 */
final class ProcessCommand {

    private static final String PLAIN = "[A-Za-z0-9_./:=+@%,-]+";

    private ProcessCommand() {
    }

    /** Whether the text can be quoted here: anything but a single quote. */
    static boolean quotable(String text) {
        return text.indexOf('\'') < 0;
    }

    static String line(Path command, Path credentials) {
        return quote(command.toString()) + " " + quote(credentials.toString());
    }

    private static String quote(String text) {
        if (!quotable(text)) {
            throw new IllegalArgumentException("a single quote in a credential_process path"); // refused by ReceiverSettings
        }
        return text.matches(PLAIN) ? text : "'" + text + "'";
    }
}
