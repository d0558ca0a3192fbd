package io.tokenhost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.host.common.OwnerOnlyDirectory;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleClientTest {

    @TempDir
    Path dir;
    @TempDir
    Path scratch;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Home home() {
        return new Home(dir, scratch.resolve("console").toString());
    }

    private int run(String... words) {
        return new ConsoleClient(home(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(List.of(words));
    }

    /** The socket, in its directory prepared as the host does it. */
    private Path preparedSocket() throws Exception {
        Path socket = home().consoleSocket();
        OwnerOnlyDirectory.prepare(socket.getParent());
        return socket;
    }

    @Test
    void exitsTwoWhenNoHostIsRunning() {
        assertThat(run("lb")).isEqualTo(ConsoleClient.NO_HOST);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no tokenhost running at " + dir.toAbsolutePath());
    }

    @Test
    void exitsTwoOnAStaleSocketFile() throws Exception {
        Path socket = preparedSocket();
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket)).close();
        assertThat(socket).exists();

        assertThat(run("lb")).isEqualTo(ConsoleClient.NO_HOST);
    }

    @Test
    void sendsTheJoinedWordsAndReturnsTheServersStatusAndOutput() throws Exception {
        Path socket = preparedSocket();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> answer(server, "no\n", 1));

            int status = run("echo", "a", "b");

            assertThat(received.join()).isEqualTo("echo a b");
            assertThat(status).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("no\n");
            assertThat(out.size()).isZero();
        }
    }

    @Test
    void refusesAConsoleDirectoryThatIsASymbolicLinkWithoutConnecting() throws Exception {
        // Someone planted the console directory as a link to a directory of theirs with a listener.
        Path planted = scratch.resolve("planted");
        Files.createDirectory(planted, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(scratch.resolve("console"), planted);
        Path socket = home().consoleSocket();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            server.configureBlocking(false);

            int status = run("echo", "secret-argument");

            assertThat(status).isEqualTo(ConsoleClient.NOT_PERMITTED);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("refusing the console at " + socket)
                    .contains("is a symbolic link (not followed)");
            assertThat(server.accept()).as("no connection reached the planted socket").isNull();
        }
    }

    @Test
    void refusesAConsoleDirectoryOthersCanEnter() throws Exception {
        Path socket = preparedSocket();
        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(run("lb")).isEqualTo(ConsoleClient.NOT_PERMITTED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("its mode is rwxr-xr-x, others may enter it");
    }

    @Test
    void theSocketPathIsShortWhateverTheInstallationPath() throws Exception {
        Path deep = dir.resolve("d".repeat(120)).resolve("e".repeat(120));
        Files.createDirectories(deep);

        Path socket = new Home(deep, null).consoleSocket();

        assertThat(socket.getParent()).isEqualTo(Path.of("/tmp/tokenhost-" + Files.getAttribute(deep, "unix:uid")));
        assertThat(socket.toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(50);
        assertThat(socket).isNotEqualTo(new Home(dir, null).consoleSocket());
    }

    @Test
    void usageErrorWithoutACommand() {
        assertThat(run()).isEqualTo(ConsoleClient.USAGE);
    }

    /** The server half, written from the protocol description rather than with ConsoleProtocol. */
    private static String answer(ServerSocketChannel server, String output, int status) {
        try (SocketChannel c = server.accept()) {
            DataInputStream in = new DataInputStream(Channels.newInputStream(c));
            assertThat(in.readUnsignedByte()).isEqualTo(1);
            byte[] line = in.readNBytes(in.readInt());
            DataOutputStream o = new DataOutputStream(Channels.newOutputStream(c));
            byte[] bytes = output.getBytes(StandardCharsets.UTF_8);
            o.writeInt(bytes.length);
            o.write(bytes);
            o.writeInt(status);
            o.flush();
            return new String(line, StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
