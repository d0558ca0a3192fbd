package io.tokenhost.host.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Replaces every {@code <key>.file=/path} of a configuration with {@code <key>} holding the file's
 * content (UTF-8, one trailing line break removed), so that a secret can live in an owner-only file
 * instead of a {@code .cfg} and ConfigAdmin's persisted copy of it. Only the dictionary a component
 * is given changes: what ConfigAdmin stores, and FileInstall compares, keeps {@code <key>.file}.
 * Problems name the key and the path, never the content.
 */
public final class SecretFileReferences {

    public static final String SUFFIX = ".file";
    /** A secret is short; a bigger file is a mistake (a keytab named instead of its password file). */
    static final long MAX_BYTES = 64 * 1024;

    /** One problem with one reference: {@code error} if the key was not set, else a warning. */
    public record Problem(String key, String message, boolean error) {
    }

    private SecretFileReferences() {
    }

    /** Resolves every {@code <key>.file} in {@code properties} in place; returns the problems. */
    public static List<Problem> resolve(Dictionary<String, Object> properties) {
        List<Problem> problems = new ArrayList<>();
        for (String reference : Collections.list(properties.keys())) {
            if (!reference.toLowerCase(Locale.ROOT).endsWith(SUFFIX) || reference.length() == SUFFIX.length()) {
                continue;
            }
            String key = reference.substring(0, reference.length() - SUFFIX.length());
            Object pathValue = properties.remove(reference);
            if (properties.get(key) != null) {
                problems.add(new Problem(reference, "both " + key + " and " + reference + " are set: " + key
                        + " comes from the file; remove " + key + " from the configuration", false));
                properties.remove(key);
            }
            read(reference, pathValue, problems).ifPresent(value -> properties.put(key, value));
        }
        return problems;
    }

    private static java.util.Optional<String> read(String reference, Object pathValue, List<Problem> problems) {
        String text = pathValue == null ? "" : pathValue.toString().strip();
        Path path;
        try {
            path = Path.of(text);
        } catch (InvalidPathException e) {
            return refuse(problems, reference, "must be an absolute file path, got '" + text + "'");
        }
        if (text.isEmpty() || !path.isAbsolute()) {
            return refuse(problems, reference, "must be an absolute file path, got '" + text + "'");
        }
        try {
            if (!Files.isRegularFile(path)) {
                return refuse(problems, reference, Files.exists(path)
                        ? "cannot read " + path + ": not a regular file" : "cannot read " + path + ": no such file");
            }
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                return refuse(problems, reference, "cannot use " + path + ": " + size + " bytes, more than a secret ("
                        + MAX_BYTES + " at most)");
            }
            String value = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(path)))
                    .toString();
            warnIfOthersMayRead(path, reference, problems);
            return java.util.Optional.of(withoutTrailingLineBreak(value));
        } catch (NoSuchFileException e) {
            return refuse(problems, reference, "cannot read " + path + ": no such file");
        } catch (AccessDeniedException e) {
            return refuse(problems, reference, "cannot read " + path + ": permission denied");
        } catch (CharacterCodingException e) {
            return refuse(problems, reference, "cannot use " + path + ": not UTF-8 text");
        } catch (IOException e) {
            return refuse(problems, reference, "cannot read " + path + ": " + e.getClass().getSimpleName());
        }
    }

    private static void warnIfOthersMayRead(Path path, String reference, List<Problem> problems) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                problems.add(new Problem(reference, path + " may be read by group or others ("
                        + java.nio.file.attribute.PosixFilePermissions.toString(permissions) + "): chmod 600 " + path, false));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to say
        }
    }

    static String withoutTrailingLineBreak(String value) {
        if (value.endsWith("\r\n")) {
            return value.substring(0, value.length() - 2);
        }
        return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
    }

    private static <T> java.util.Optional<T> refuse(List<Problem> problems, String reference, String why) {
        problems.add(new Problem(reference, reference + ": " + why, true));
        return java.util.Optional.empty();
    }
}
