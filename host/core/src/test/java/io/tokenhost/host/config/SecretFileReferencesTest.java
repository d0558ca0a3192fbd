package io.tokenhost.host.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.SecretForms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFileReferencesTest {

    private static final String SECRET = "s3cr3t-Canary-Value/0123456789";

    @TempDir
    Path dir;

    @Test
    void aFileReferenceBecomesTheKeyWithOneTrailingLineBreakRemoved() throws Exception {
        Path file = secretFile("secret", SECRET + "\n", "rw-------");
        Path crlf = secretFile("password", "two words \r\n", "r--------");
        Path blankLines = secretFile("token", "abc\n\n", "rw-------");
        Dictionary<String, Object> properties = properties("secret-key.file", file.toString(),
                "keytab.password.file", crlf.toString(), "token.FILE", blankLines.toString(), "region", "eu-west-1");

        List<SecretFileReferences.Problem> problems = SecretFileReferences.resolve(properties);

        assertThat(problems).isEmpty();
        assertThat(properties.get("secret-key")).isEqualTo(SECRET);
        assertThat(properties.get("keytab.password")).isEqualTo("two words ");
        assertThat(properties.get("token")).isEqualTo("abc\n");
        assertThat(properties.get("region")).isEqualTo("eu-west-1");
        assertThat(properties.get("secret-key.file")).isNull();
        assertThat(properties.get("keytab.password.file")).isNull();
    }

    @Test
    void aMissingRelativeOrOversizedFileIsAnErrorNamingKeyAndPathAndTheKeyStaysUnset() throws Exception {
        Path big = secretFile("big", "x".repeat((int) SecretFileReferences.MAX_BYTES + 1), "rw-------");
        Dictionary<String, Object> properties = properties("secret-key.file", dir.resolve("missing").toString(),
                "password.file", "relative/path", "token.file", dir.toString(), "cookie.file", big.toString());

        List<SecretFileReferences.Problem> problems = SecretFileReferences.resolve(properties);

        assertThat(problems).extracting(SecretFileReferences.Problem::message).containsExactlyInAnyOrder(
                "secret-key.file: cannot read " + dir.resolve("missing") + ": no such file",
                "password.file: must be an absolute file path, got 'relative/path'",
                "token.file: cannot read " + dir + ": not a regular file",
                "cookie.file: cannot use " + big + ": 65537 bytes, more than a secret (65536 at most)");
        assertThat(problems).allMatch(SecretFileReferences.Problem::error);
        assertThat(properties.size()).isZero();
        SecretForms.assertAbsent("the problems reported", problems.toString(), SECRET.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFileOthersMayReadIsUsedWithAWarning() throws Exception {
        Path file = secretFile("open", SECRET, "rw-r--r--");
        Dictionary<String, Object> properties = properties("secret-key.file", file.toString(), "secret-key", "inline");

        List<SecretFileReferences.Problem> problems = SecretFileReferences.resolve(properties);

        assertThat(properties.get("secret-key")).isEqualTo(SECRET);
        assertThat(problems).extracting(SecretFileReferences.Problem::message).containsExactlyInAnyOrder(
                "both secret-key and secret-key.file are set: secret-key comes from the file; remove secret-key from"
                        + " the configuration",
                file + " may be read by group or others (rw-r--r--): chmod 600 " + file);
        assertThat(problems).noneMatch(SecretFileReferences.Problem::error);
        SecretForms.assertAbsent("the problems reported", problems.toString(), SECRET.getBytes(StandardCharsets.UTF_8));
        assertThat(problems.toString()).doesNotContain("inline");
    }

    @Test
    void thePluginListsErrorsOnTheBoardOnceThereIsOneUntilTheFileIsThere() throws Exception {
        SecretFilePlugin plugin = new SecretFilePlugin(7, "io.tokenhost.host [7]");
        Path missing = dir.resolve("later");

        plugin.modifyConfiguration(null, properties("service.pid", "io.tokenhost.s3", "secret-key.file", missing.toString()));
        ConfigurationProblemBoard board = new ConfigurationProblemBoard();
        plugin.board(board); // DS makes the board after the first configurations were applied
        assertThat(board.problems()).singleElement().satisfies(p -> {
            assertThat(p.pid()).isEqualTo("io.tokenhost.s3");
            assertThat(p.bundle()).isEqualTo("io.tokenhost.host [7] (.file keys)");
            assertThat(p.reason()).isEqualTo("secret-key.file: cannot read " + missing + ": no such file");
        });

        Files.writeString(missing, SECRET);
        Dictionary<String, Object> fixed = properties("service.pid", "io.tokenhost.s3", "secret-key.file", missing.toString());
        plugin.modifyConfiguration(null, fixed);
        assertThat(fixed.get("secret-key")).isEqualTo(SECRET);
        assertThat(board.problems()).isEmpty();
    }

    private Path secretFile(String name, String content, String mode) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static Dictionary<String, Object> properties(String... keysAndValues) {
        Dictionary<String, Object> d = new Hashtable<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            d.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return d;
    }
}
