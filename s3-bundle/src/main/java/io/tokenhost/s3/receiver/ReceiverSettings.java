package io.tokenhost.s3.receiver;

import io.tokenhost.s3.config.ConfigReader;
import io.tokenhost.s3.provider.ProviderSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The checked configuration of one s3 receiver (factory PID {@code io.tokenhost.s3.receiver}):
 * {@code service.name}, {@code credentials-file}, {@code profile}.
 */
record ReceiverSettings(String serviceName, Optional<Path> credentialsFile, String profile) {

    static final String FACTORY_PID = "io.tokenhost.s3.receiver";

    static ReceiverSettings parse(Map<String, ?> properties) {
        ConfigReader c = new ConfigReader(properties);
        String serviceName = ProviderSettings.serviceName(c, FACTORY_PID, "s3");
        Optional<Path> file = c.text("credentials-file").map(ReceiverSettings::path);
        String profile = c.text("profile", "default");
        if (!profile.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("profile: must be 1-64 of [A-Za-z0-9._-], got '"
                    + ConfigReader.shown(profile) + "'");
        }
        return new ReceiverSettings(serviceName, file, profile);
    }

    private static Path path(String text) {
        try {
            Path path = Path.of(text);
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("credentials-file: must be an absolute path, got '"
                        + ConfigReader.shown(text) + "'");
            }
            return path;
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("credentials-file: not a path: '" + ConfigReader.shown(text) + "'");
        }
    }
}
