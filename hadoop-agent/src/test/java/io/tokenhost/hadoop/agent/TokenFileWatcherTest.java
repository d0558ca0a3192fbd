package io.tokenhost.hadoop.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher with the real Hadoop UGI (simple authentication, this OS user) and real token files. */
class TokenFileWatcherTest {

    private static void writeTokenFile(Path file, String identifier) throws Exception {
        Credentials credentials = new Credentials();
        Text service = new Text("127.0.0.1:8020");
        credentials.addToken(service, new Token<>(identifier.getBytes(StandardCharsets.UTF_8),
                "password".getBytes(StandardCharsets.UTF_8), new Text("TEST_TOKEN"), service));
        Path part = file.resolveSibling(file.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(part); DataOutputStream data = new DataOutputStream(out)) {
            credentials.writeTokenStorageToStream(data);
        }
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String identifierHeld(UserGroupInformation user) {
        Token<?> token = user.getCredentials().getToken(new Text("127.0.0.1:8020"));
        return token == null ? null : new String(token.getIdentifier(), StandardCharsets.UTF_8);
    }

    @Test
    void eachNewVersionOfTheFileReplacesTheLoginUsersTokenOnceLoggedIn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hadoop.token");
        TokenFileWatcher watcher = new TokenFileWatcher(new AgentOptions(file, Duration.ofSeconds(1)), new LoginUserTokens());
        watcher.run(); // no file: nothing to do, no failure

        writeTokenFile(file, "first");
        UserGroupInformation login = UserGroupInformation.getLoginUser();
        watcher.run();
        assertThat(identifierHeld(login)).isEqualTo("first");
        assertThat(identifierHeld(UserGroupInformation.getCurrentUser())).as("current user = login user here").isEqualTo("first");

        writeTokenFile(file, "second");
        watcher.run();
        assertThat(identifierHeld(login)).isEqualTo("second");
        assertThat(login.getCredentials().numberOfTokens()).as("replaced, not added beside").isEqualTo(1);

        Files.delete(file); // withdrawn: what was installed stays (it simply expires)
        watcher.run();
        assertThat(identifierHeld(login)).isEqualTo("second");
        Files.writeString(file, "not a token file");
        watcher.run();
        assertThat(identifierHeld(login)).isEqualTo("second");
        writeTokenFile(file, "third");
        watcher.run();
        assertThat(identifierHeld(login)).isEqualTo("third");
    }
}
