package io.tokenhost.s3.receiver;

import io.tokenhost.api.SecretFiles;
import io.tokenhost.s3.token.SessionCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;

/**
 * The JSON a {@code credential_process} command prints, in the form every AWS SDK and the CLI read:
 * {@code Version} 1, {@code AccessKeyId}, {@code SecretAccessKey}, {@code SessionToken} and
 * {@code Expiration} (ISO-8601 UTC, whole seconds, rounded down so it is never later than the
 * credentials' real expiry). One field per line, so that {@code bin/tokenhost-aws-credentials}
 * can check the expiry without a JSON parser. Written owner-only and atomically; deleted on
 * withdrawal.
 */
final class ProcessCredentialsFile {

    private final Path path;

    ProcessCredentialsFile(Path path) {
        this.path = path.toAbsolutePath();
    }

    /** {@code <credentials-file>.<profile>.json}, beside the shared-credentials file. */
    static ProcessCredentialsFile beside(Path credentialsFile, String profile) {
        return new ProcessCredentialsFile(credentialsFile.resolveSibling(credentialsFile.getFileName() + "." + profile + ".json"));
    }

    Path path() {
        return path;
    }

    void write(SessionCredentials c) throws IOException {
        SecretFiles.replace(path, json(c).getBytes(StandardCharsets.UTF_8));
    }

    /** Deletes the file; whether it was there. */
    boolean remove() throws IOException {
        return SecretFiles.delete(path);
    }

    static String json(SessionCredentials c) {
        return "{\n"
                + "  \"Version\": 1,\n"
                + "  \"AccessKeyId\": \"" + escape(c.accessKeyId()) + "\",\n"
                + "  \"SecretAccessKey\": \"" + escape(c.secretAccessKey()) + "\",\n"
                + "  \"SessionToken\": \"" + escape(c.sessionToken()) + "\",\n"
                + "  \"Expiration\": \"" + c.expiration().truncatedTo(ChronoUnit.SECONDS) + "\"\n"
                + "}\n";
    }

    private static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char ch : value.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                out.append('\\').append(ch);
            } else if (ch < 0x20) {
                out.append(String.format("\\u%04x", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }
}
