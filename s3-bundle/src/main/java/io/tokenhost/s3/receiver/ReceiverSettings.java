package io.tokenhost.s3.receiver;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.s3.provider.ProviderSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** The checked configuration of one s3 receiver (factory PID {@code io.tokenhost.s3.receiver}; keys in {@link ReceiverConfig}). */
record ReceiverSettings(String serviceName, Optional<Path> credentialsFile, String profile) {

    static final String FACTORY_PID = "io.tokenhost.s3.receiver";
    static final String CREDENTIALS_FILE = "credentials-file";
    static final String PROFILE = "profile";

    static ReceiverSettings parse(ConfigValues values) {
        String serviceName = ProviderSettings.serviceName(values, FACTORY_PID);
        Optional<Path> file = values.text(CREDENTIALS_FILE).map(text -> absolutePath(values, text));
        String profile = values.required(PROFILE);
        if (!profile.matches("[A-Za-z0-9._-]{1,64}")) {
            throw values.refused(PROFILE, "must be 1-64 of [A-Za-z0-9._-]");
        }
        return new ReceiverSettings(serviceName, file, profile);
    }

    private static Path absolutePath(ConfigValues values, String text) {
        try {
            Path path = Path.of(text);
            if (path.isAbsolute()) {
                return path;
            }
        } catch (InvalidPathException e) {
            // refused below
        }
        throw values.refused(CREDENTIALS_FILE, "must be an absolute path");
    }
}
