package io.tokenhost.host.console;

import io.tokenhost.host.common.CommandResult;
import io.tokenhost.host.common.ConsoleProtocol;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over a real Unix socket; the command executor is a plain lambda instead of Gogo. */
class ConsoleServerTest {

    @TempDir
    Path dir;

    private ConsoleServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private Path socket() {
        return dir.resolve("run/console.sock");
    }

    private UserPrincipal me() throws IOException {
        return Files.getOwner(dir);
    }

    private ConsoleServer start(UserPrincipal owner, CommandExecutor executor, int maxConcurrent) throws IOException {
        server = ConsoleServer.start(socket(), new PeerCheck(owner), executor, maxConcurrent, Duration.ofMillis(500));
        return server;
    }

    private CommandResult call(String line) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
            try {
                ConsoleProtocol.writeRequest(Channels.newOutputStream(c), line);
            } catch (IOException e) {
                // Like the launcher's client: a server that answered early (busy) and closed.
                return ConsoleProtocol.readResponse(Channels.newInputStream(c));
            }
            return ConsoleProtocol.readResponse(Channels.newInputStream(c));
        }
    }

    @Test
    void runsACommandForTheOwner() throws Exception {
        start(me(), line -> CommandResult.of("ran " + line + "\n", 0), 4);

        CommandResult r = call("lb -s");

        assertThat(r.status()).isZero();
        assertThat(r.outputText()).isEqualTo("ran lb -s\n");
    }

    @Test
    void passesTheExecutorsFailureStatusThrough() throws Exception {
        start(me(), line -> CommandResult.of("Error: Command not found: " + line + "\n", 1), 4);

        CommandResult r = call("nope");

        assertThat(r.status()).isEqualTo(ConsoleProtocol.FAILED);
        assertThat(r.outputText()).contains("Command not found: nope");
    }

    @Test
    void refusesAnotherUserWithoutRunningTheCommand() throws Exception {
        UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        org.junit.jupiter.api.Assumptions.assumeFalse(me().equals(nobody));
        AtomicInteger runs = new AtomicInteger();
        start(nobody, line -> {
            runs.incrementAndGet();
            return CommandResult.of("secret output", 0);
        }, 4);

        CommandResult r = call("lb");

        assertThat(r.status()).isEqualTo(ConsoleProtocol.NOT_PERMITTED);
        assertThat(r.outputText()).contains("permission denied").doesNotContain("secret output");
        assertThat(runs).hasValue(0);
    }

    @Test
    void socketDirectoryIsOwnerOnlyEvenIfItExistedWider() throws Exception {
        Files.createDirectories(socket().getParent(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(socket().getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));

        start(me(), line -> CommandResult.of("", 0), 4);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket().getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void replacesAStaleSocketAndDeletesItOnClose() throws Exception {
        start(me(), line -> CommandResult.of("first", 0), 4).close();
        // A killed host leaves its socket behind: simulate with a bound-then-abandoned socket file.
        java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)
                .bind(UnixDomainSocketAddress.of(socket())).close();
        assertThat(socket()).exists();

        start(me(), line -> CommandResult.of("second", 0), 4);
        assertThat(call("x").outputText()).isEqualTo("second");

        server.close();
        assertThat(socket()).doesNotExist();
    }

    @Test
    void refusesToTakeOverTheSocketOfAHostThatStillAnswers() throws Exception {
        ConsoleServer first = start(me(), line -> CommandResult.of("first", 0), 4);

        assertThatThrownBy(() -> ConsoleServer.start(socket(), new PeerCheck(me()), line -> CommandResult.of("", 0),
                4, Duration.ofMillis(500)))
                .hasMessage("another host of this installation already serves its console at " + socket());
        assertThat(call("x").outputText()).as("the first host still serves").isEqualTo("first");
        assertThat(server).isSameAs(first);
    }

    @Test
    void refusesASocketDirectoryThatIsASymbolicLink() throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Files.createSymbolicLink(socket().getParent(), elsewhere);

        assertThatThrownBy(() -> start(me(), line -> CommandResult.of("", 0), 4))
                .hasMessageContaining("it is a symbolic link (not followed)");
        try (var entries = Files.list(elsewhere)) {
            assertThat(entries).as("nothing bound through the link").isEmpty();
        }
    }

    @Test
    void refusesToDeleteARegularFileAtTheSocketPath() throws Exception {
        Files.createDirectories(socket().getParent());
        Files.writeString(socket(), "not a socket");

        assertThatThrownBy(() -> start(me(), line -> CommandResult.of("", 0), 4))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a socket");
        assertThat(Files.readString(socket())).isEqualTo("not a socket");
    }

    @Test
    void answersBusyBeyondTheConcurrencyLimit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        start(me(), line -> {
            running.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CommandResult.of("done", 0);
        }, 1);

        CompletableFuture<CommandResult> first = CompletableFuture.supplyAsync(() -> {
            try {
                return call("slow");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(call("second").status()).isEqualTo(ConsoleProtocol.BUSY);
        assertThat(server.refusals()).containsEntry(ConsoleRefusals.BUSY, 1L);
        release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS).outputText()).isEqualTo("done");
    }

    @Test
    void answersBadRequestToAnOversizedCommandLine() throws Exception {
        start(me(), line -> CommandResult.of("should not run", 0), 4);

        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(c));
            out.writeByte(1);
            out.writeInt(ConsoleProtocol.MAX_REQUEST + 1);
            out.flush();
            CommandResult r = ConsoleProtocol.readResponse(Channels.newInputStream(c));
            assertThat(r.status()).isEqualTo(ConsoleProtocol.BAD_REQUEST);
        }
    }

    @Test
    void dropsAClientThatSendsNothingWithinTheTimeout() throws Exception {
        start(me(), line -> CommandResult.of("", 0), 4);

        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
            InputStream in = Channels.newInputStream(c);
            long started = System.nanoTime();
            assertThat(in.read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
        assertThat(server.refusals()).containsEntry(ConsoleRefusals.IDLE, 1L).containsEntry(ConsoleRefusals.BUSY, 0L);
    }

    @Test
    void logsOnlyTheCommandName() {
        assertThat(ConsoleServer.commandName("  token:import /secret/path password123 ")).isEqualTo("token:import");
        assertThat(ConsoleServer.commandName("lb")).isEqualTo("lb");
    }
}
