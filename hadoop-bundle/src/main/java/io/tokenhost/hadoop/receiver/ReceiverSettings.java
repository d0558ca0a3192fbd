package io.tokenhost.hadoop.receiver;

import io.tokenhost.api.ConfigValues;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** The receiver's configuration (PID {@code io.tokenhost.hadoop.receiver}, keys in {@link ReceiverConfig}), checked. */
record ReceiverSettings(Optional<Path> tokenFile, boolean installInProcess) {

    static final String TOKEN_FILE = "token-file";
    static final String INSTALL_IN_PROCESS = "install-in-process";

    static ReceiverSettings parse(ConfigValues values) {
        Optional<Path> tokenFile;
        try {
            tokenFile = values.text(TOKEN_FILE).map(Path::of);
        } catch (InvalidPathException e) {
            throw values.refused(TOKEN_FILE, "must be a file path");
        }
        return new ReceiverSettings(tokenFile, values.bool(INSTALL_IN_PROCESS));
    }
}
