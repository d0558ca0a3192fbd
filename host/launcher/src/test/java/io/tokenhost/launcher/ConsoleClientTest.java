package io.tokenhost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleClientTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... words) {
        return new ConsoleClient(new Home(dir), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(List.of(words));
    }

    @Test
    void exitsTwoWhenNoHostIsRunning() {
        assertThat(run("lb")).isEqualTo(ConsoleClient.NO_HOST);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no tokenhost running at " + dir.toAbsolutePath());
    }

    @Test
    void exitsTwoOnAStaleSocketFile() throws Exception {
        Path socket = new Home(dir).consoleSocket();
        Files.createDirectories(socket.getParent());
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket)).close();
        assertThat(socket).exists();

        assertThat(run("lb")).isEqualTo(ConsoleClient.NO_HOST);
    }

    @Test
    void sendsTheJoinedWordsAndReturnsTheServersStatusAndOutput() throws Exception {
        Path socket = new Home(dir).consoleSocket();
        Files.createDirectories(socket.getParent());
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
