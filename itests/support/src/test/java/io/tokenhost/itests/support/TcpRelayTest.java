package io.tokenhost.itests.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay in front of a real loopback service that answers each request in upper case. */
class TcpRelayTest {

    private ServerSocket service;
    private TcpRelay relay;

    @BeforeEach
    void startService() throws IOException {
        service = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!service.isClosed()) {
                try {
                    Socket s = service.accept();
                    Thread worker = new Thread(() -> answerInUpperCase(s));
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException e) {
                    // closed
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        relay = new TcpRelay(service.getLocalPort());
    }

    /** Reads the whole request (until the client half-closes), then answers: a reply after a half-close. */
    private static void answerInUpperCase(Socket s) {
        try (s) {
            String request = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            s.getOutputStream().write(request.toUpperCase().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the relay cut the connection
        }
    }

    @AfterEach
    void stop() throws Exception {
        relay.close();
        service.close();
    }

    @Test
    void relaysARequestAndItsReplyAfterTheClientHalfCloses() throws Exception {
        assertThat(relay.port()).isZero();
        relay.start();

        assertThat(relay.port()).isPositive().isNotEqualTo(service.getLocalPort());
        assertThat(ask("hello")).isEqualTo("HELLO");
        assertThat(ask("again")).isEqualTo("AGAIN");
    }

    @Test
    void offRefusesConnectionsAndOnAgainListensOnTheSamePort() throws Exception {
        relay.start();
        int port = relay.port();

        relay.stop();
        assertThatThrownBy(() -> ask("anyone?")).isInstanceOf(ConnectException.class);

        relay.start();
        assertThat(relay.port()).isEqualTo(port);
        assertThat(ask("back")).isEqualTo("BACK");
    }

    @Test
    void stoppingCutsOpenConnections() throws Exception {
        relay.start();
        try (Socket client = connect()) {
            client.getOutputStream().write("half a request".getBytes(StandardCharsets.UTF_8));

            relay.stop();

            client.setSoTimeout((int) Duration.ofSeconds(5).toMillis());
            InputStream in = client.getInputStream();
            // the cut shows as end of stream or a reset, never as a reply
            int read;
            try {
                read = in.read();
            } catch (IOException reset) {
                read = -1;
            }
            assertThat(read).isEqualTo(-1);
        }
    }

    @Test
    void startingTwiceAndStoppingTwiceChangeNothing() throws Exception {
        relay.start();
        int port = relay.port();
        relay.start();
        assertThat(relay.port()).isEqualTo(port);
        assertThat(ask("still one")).isEqualTo("STILL ONE");

        relay.stop();
        relay.stop();
        assertThatThrownBy(() -> ask("nobody")).isInstanceOf(ConnectException.class);
    }

    private String ask(String request) throws IOException {
        try (Socket client = connect()) {
            client.setSoTimeout((int) Duration.ofSeconds(5).toMillis());
            client.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            client.shutdownOutput();
            return new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Socket connect() throws IOException {
        Socket client = new Socket();
        client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), relay.port()), 5000);
        return client;
    }
}
