package io.tokenhost.launcher;

import io.tokenhost.host.common.MessageSanitiser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds {@code conf/*.cfg} files that hold a secret-looking key and that group or others may read,
 * as ssh refuses a private key others can read — here a warning at start, naming the file and the
 * keys (never a value). A key looks secret by its name ({@link MessageSanitiser#isSecretName}:
 * {@code secret-key}, {@code password}, {@code token}, ...); {@code <key>.file} keys and values that
 * are absolute paths (a key file's location, such as {@code tls.key}) do not count.
 */
final class ReadableConfSecrets {

    private ReadableConfSecrets() {
    }

    /** One warning per such file, in file-name order. */
    static List<String> warnings(Path confDir) {
        List<String> warnings = new ArrayList<>();
        if (!Files.isDirectory(confDir)) {
            return warnings;
        }
        Set<Path> files = new TreeSet<>();
        try (DirectoryStream<Path> cfgs = Files.newDirectoryStream(confDir, "*.cfg")) {
            cfgs.forEach(files::add);
        } catch (IOException e) {
            return warnings;
        }
        for (Path cfg : files) {
            try {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(cfg);
                if (!permissions.contains(PosixFilePermission.GROUP_READ)
                        && !permissions.contains(PosixFilePermission.OTHERS_READ)) {
                    continue;
                }
                Set<String> keys = secretKeys(cfg);
                if (!keys.isEmpty()) {
                    warnings.add(cfg + " holds " + String.join(", ", keys) + " and group or others may read it ("
                            + PosixFilePermissions.toString(permissions) + "): chmod 600 " + cfg
                            + ", or keep each secret in an owner-only file named by <key>.file=/path");
                }
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                // unreadable or not POSIX: FileInstall reports what it cannot read
            }
        }
        return warnings;
    }

    private static Set<String> secretKeys(Path cfg) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(cfg, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Set<String> keys = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key).strip();
            if (!value.isEmpty() && !value.startsWith("/") && MessageSanitiser.isSecretName(key)) {
                keys.add(key);
            }
        }
        return keys;
    }
}
