package io.tokenhost.s3.receiver;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.s3.provider.ProviderSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The checked configuration of one s3 receiver (factory PID {@code io.tokenhost.s3.receiver}; keys in
 * {@link ReceiverConfig}). {@code processCommand} is present exactly when the profile style is
 * {@code credential-process}.
 */
record ReceiverSettings(String serviceName, Optional<Path> credentialsFile, String profile, Optional<Path> processCommand) {

    static final String FACTORY_PID = "io.tokenhost.s3.receiver";
    static final String CREDENTIALS_FILE = "credentials-file";
    static final String PROFILE = "profile";
    static final String PROFILE_STYLE = "profile-style";
    static final String PROCESS_COMMAND = "credential-process.command";
    static final String STATIC = "static";
    static final String CREDENTIAL_PROCESS = "credential-process";
    /** The installation's home, set by the launcher. */
    static final String HOME_PROPERTY = "tokenhost.home";
    static final String DEFAULT_COMMAND = "bin/tokenhost-aws-credentials";

    ReceiverSettings(String serviceName, Optional<Path> credentialsFile, String profile) {
        this(serviceName, credentialsFile, profile, Optional.empty());
    }

    static ReceiverSettings parse(ConfigValues values) {
        String serviceName = ProviderSettings.serviceName(values, FACTORY_PID);
        Optional<Path> file = values.text(CREDENTIALS_FILE).map(text -> absolutePath(values, CREDENTIALS_FILE, text));
        String profile = values.required(PROFILE);
        if (!profile.matches("[A-Za-z0-9._-]{1,64}")) {
            throw values.refused(PROFILE, "must be 1-64 of [A-Za-z0-9._-]");
        }
        boolean process = values.oneOf(PROFILE_STYLE, Set.of(STATIC, CREDENTIAL_PROCESS)).equals(CREDENTIAL_PROCESS);
        Optional<Path> command = values.text(PROCESS_COMMAND).map(text -> absolutePath(values, PROCESS_COMMAND, text));
        if (!process) {
            return new ReceiverSettings(serviceName, file, profile, Optional.empty());
        }
        if (file.isEmpty()) {
            throw values.refused(PROFILE_STYLE, "credential-process needs credentials-file (the profile lives there)");
        }
        if (!ProcessCommand.quotable(file.get().toString())) {
            throw values.refused(CREDENTIALS_FILE, "must not contain a single quote with profile-style credential-process");
        }
        if (command.isEmpty()) {
            String home = System.getProperty(HOME_PROPERTY);
            if (home == null || home.isBlank()) {
                throw values.refused(PROCESS_COMMAND, "must be set: this host has no " + HOME_PROPERTY
                        + " to find " + DEFAULT_COMMAND + " in");
            }
            command = Optional.of(Path.of(home).resolve(DEFAULT_COMMAND));
        }
        if (!ProcessCommand.quotable(command.get().toString())) {
            throw values.refused(PROCESS_COMMAND, "must not contain a single quote");
        }
        return new ReceiverSettings(serviceName, file, profile, command);
    }

    private static Path absolutePath(ConfigValues values, String key, String text) {
        try {
            Path path = Path.of(text);
            if (path.isAbsolute()) {
                return path;
            }
        } catch (InvalidPathException e) {
            // refused below
        }
        throw values.refused(key, "must be an absolute path");
    }
}
