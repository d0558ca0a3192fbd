package io.tokenhost.itests.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A console directory someone else prepared in a shared place is refused at start with an ERROR
 * naming the path and the reason; the host keeps running without a console, and the client does
 * not talk to whatever sits there. One installation; each test starts the host once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsolePlacementIT {

    private Installation installation;
    private Path shared;
    private long logStart;

    @BeforeAll
    void unpack() throws Exception {
        installation = Installation.unpack("console-placement");
    }

    @AfterAll
    void close() throws Exception {
        installation.close();
    }

    @BeforeEach
    void sharedPlace() throws IOException {
        // Short, like /tmp: the place where the hostile things are planted.
        shared = Files.createTempDirectory(Path.of("/tmp"), "th-placement-");
    }

    @AfterEach
    void stopAndClean() throws Exception {
        Process host = installation.host();
        if (host != null && host.isAlive()) {
            host.destroy();
            assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        try (Stream<Path> files = Files.walk(shared)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aSymbolicLinkPlantedAsTheConsoleDirectoryIsRefusedAndNotFollowed() throws Exception {
        Path attackers = Files.createDirectory(shared.resolve("attackers"));
        Path console = Files.createSymbolicLink(shared.resolve("console"), attackers);

        startWithConsoleIn(console);

        assertRefused(console, "it is a symbolic link (not followed)");
        assertThat(list(attackers)).as("nothing created through the link").isEmpty();
        Installation.Result client = installation.client("lb");
        assertThat(client.status()).isEqualTo(77);
        assertThat(client.stderr()).contains("refusing the console at " + console.resolve(installation.socket().getFileName()))
                .contains("it is a symbolic link (not followed)");
    }

    @Test
    void aConsoleDirectoryOwnedBySomeoneElseIsRefused() throws Exception {
        Root.require("the console directory check gives a directory to a second user");
        Path console = Files.createDirectory(shared.resolve("console"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (Root.isRoot()) {
            UserPrincipal nobody = console.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(console, nobody);
        } else {
            Process chown = new ProcessBuilder("sudo", "-n", "chown", Root.OTHER_USER, console.toString()).inheritIO().start();
            assertThat(chown.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && chown.exitValue() == 0)
                    .as("sudo chown nobody " + console).isTrue();
        }

        startWithConsoleIn(console);

        assertRefused(console, "it belongs to nobody, not to " + System.getProperty("user.name"));
        assertThat(list(console)).isEmpty();
        assertThat(installation.client("lb").stderr()).contains("it belongs to nobody, not to " + System.getProperty("user.name"));
    }

    @Test
    void aConsoleDirectoryWhoseParentAnyoneMayWriteWithoutTheStickyBitIsRefused() throws Exception {
        Path open = Files.createDirectory(shared.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path console = open.resolve("console");

        startWithConsoleIn(console);

        assertRefused(console, "its parent " + open + " is writable by others and not sticky (mode 777)");
        assertThat(console).doesNotExist();
    }

    @Test
    void aSymbolicLinkPlantedAtTheSocketItselfIsRefusedAndNotFollowed() throws Exception {
        Path console = Files.createDirectory(shared.resolve("console"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        installation.consoleDirectory(console);
        Path victim = Files.writeString(shared.resolve("victim"), "keep me");
        Files.createSymbolicLink(installation.socket(), victim);

        startWithConsoleIn(console);

        assertRefused(console, "refusing to replace " + installation.socket() + ": it is not a socket");
        assertThat(Files.readString(victim)).isEqualTo("keep me");
        assertThat(Files.isSymbolicLink(installation.socket())).isTrue();
    }

    private void startWithConsoleIn(Path console) throws Exception {
        installation.consoleDirectory(console);
        logStart = Files.exists(installation.log()) ? Files.size(installation.log()) : 0;
        installation.startHeadless();
        Await.atMost(Duration.ofSeconds(60)).until("the host to report its start",
                () -> logOfThisStart().contains("tokenhost started in"));
    }

    private String logOfThisStart() throws IOException {
        return Installation.read(installation.log()).substring((int) logStart);
    }

    /** The host named path and reason at ERROR, runs on, and its manager serves as ever. */
    private void assertRefused(Path console, String reason) throws Exception {
        String log = Await.atMost(Duration.ofSeconds(30)).until("the console's refusal in the log",
                this::logOfThisStart, text -> text.contains("console: not started"));
        assertThat(log).containsPattern("ERROR .*console: not started, bin/tokenhost client will not reach this host: .*"
                + java.util.regex.Pattern.quote(console.toString()))
                .contains(reason);
        Await.holdsFor(Duration.ofSeconds(1), "the host keeps running without its console",
                () -> installation.host().isAlive());
        assertThat(log).doesNotContain("console: listening on");
    }

    private static java.util.List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        }
    }
}
