package io.tokenhost.s3.receiver;

import io.tokenhost.api.SecretFiles;
import io.tokenhost.s3.token.SessionCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An AWS shared-credentials file ({@code [profile]} sections with {@code aws_access_key_id},
 * {@code aws_secret_access_key}, {@code aws_session_token}) that this receiver owns one profile
 * of. Other profiles in the file are kept as they are. Every change is written to an owner-only
 * temporary file, synced, and renamed over the file; removing the last profile deletes the file.
 */
final class SharedCredentialsFile {

    /** Serialises writers of the same file within this bundle (several receivers may share one). */
    private static final Object LOCK = new Object();

    private final Path path;
    private final String profile;

    SharedCredentialsFile(Path path, String profile) {
        this.path = path.toAbsolutePath();
        this.profile = profile;
    }

    Path path() {
        return path;
    }

    /** A static profile: the keys themselves (clients read them once). */
    void write(SessionCredentials c, String serviceName) throws IOException {
        writeSection(List.of(
                "# written by tokenhost for service " + serviceName + "; expires " + c.expiration(),
                "aws_access_key_id = " + c.accessKeyId(),
                "aws_secret_access_key = " + c.secretAccessKey(),
                "aws_session_token = " + c.sessionToken()));
    }

    /** A profile whose credentials come from a command the SDKs run again before each expiry. */
    void writeProcess(String commandLine, String serviceName) throws IOException {
        writeSection(List.of(
                "# written by tokenhost for service " + serviceName + "; the command prints the current credentials",
                "credential_process = " + commandLine));
    }

    private void writeSection(List<String> section) throws IOException {
        synchronized (LOCK) {
            Map<String, List<String>> sections = read();
            sections.put(profile, section);
            save(sections);
        }
    }

    /** Removes this receiver's profile; deletes the file when no profile is left. Whether the profile was there. */
    boolean remove() throws IOException {
        synchronized (LOCK) {
            Map<String, List<String>> sections = read();
            if (sections.remove(profile) == null) {
                return false;
            }
            if (sections.isEmpty() || sections.keySet().equals(java.util.Set.of(""))
                    && sections.get("").stream().allMatch(String::isBlank)) {
                SecretFiles.delete(path);
            } else {
                save(sections);
            }
            return true;
        }
    }

    /** Sections by profile name; lines before the first section go under the empty name. */
    private Map<String, List<String>> read() throws IOException {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        if (!Files.exists(path)) {
            return sections;
        }
        List<String> current = new ArrayList<>();
        sections.put("", current);
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            String t = line.trim();
            if (t.startsWith("[") && t.endsWith("]")) {
                current = new ArrayList<>();
                sections.put(t.substring(1, t.length() - 1).trim(), current);
            } else {
                current.add(line);
            }
        }
        if (sections.get("").isEmpty()) {
            sections.remove("");
        }
        return sections;
    }

    private void save(Map<String, List<String>> sections) throws IOException {
        StringBuilder text = new StringBuilder();
        sections.forEach((name, lines) -> {
            if (!name.isEmpty()) {
                text.append('[').append(name).append("]\n");
            }
            lines.stream().filter(l -> !l.isBlank()).forEach(l -> text.append(l).append('\n'));
            text.append('\n');
        });
        SecretFiles.replace(path, text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
