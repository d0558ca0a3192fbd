package io.tokenhost.hadoop.receiver;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ServiceNames;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The receiver's configuration (PID {@code io.tokenhost.hadoop.receiver}, keys in {@link ReceiverConfig}), checked. */
record ReceiverSettings(Optional<Path> tokenFile, boolean installInProcess, List<String> services) {

    static final String TOKEN_FILE = "token-file";
    static final String INSTALL_IN_PROCESS = "install-in-process";
    static final String SERVICES = "services";

    static ReceiverSettings parse(ConfigValues values) {
        Optional<Path> tokenFile;
        try {
            tokenFile = values.text(TOKEN_FILE).map(Path::of);
        } catch (InvalidPathException e) {
            throw values.refused(TOKEN_FILE, "must be a file path");
        }
        return new ReceiverSettings(tokenFile, values.bool(INSTALL_IN_PROCESS), services(values));
    }

    private static List<String> services(ConfigValues values) {
        Set<String> names = new LinkedHashSet<>();
        for (String part : values.text(SERVICES).orElse("").split(",")) {
            String name = part.trim();
            if (!name.isEmpty()) {
                if (!ServiceNames.isValid(name)) {
                    throw values.refused(SERVICES, "must be comma-separated service names (" + ServiceNames.RULE + ")");
                }
                names.add(name);
            }
        }
        if (names.isEmpty()) {
            throw values.refused(SERVICES, "must name at least one service, e.g. hadoopfs");
        }
        return List.copyOf(names);
    }
}
