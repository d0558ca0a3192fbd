package io.tokenhost.itests.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback TCP forwarder in front of moto's STS. {@link #stop()} closes the listening socket and
 * every connection, so the port refuses connections as an unreachable STS does; {@link #start()}
 * listens on the same port again. Moto keeps its state meanwhile.
 */
final class TcpProxy implements AutoCloseable {

    private final int port;
    private final int target;
    private final List<Socket> sockets = new ArrayList<>();
    private ServerSocket server;

    TcpProxy(int target) throws IOException {
        this.target = target;
        try (ServerSocket probe = new ServerSocket(0)) {
            this.port = probe.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    synchronized void start() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = s;
        Thread accept = new Thread(() -> acceptLoop(s), "proxy-accept-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                synchronized (this) {
                    sockets.add(client);
                    sockets.add(upstream);
                }
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed by stop(), or one connection failed: keep accepting while open
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // connection closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    synchronized void stop() {
        closeQuietly(server);
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            // already closed
        }
    }

    @Override
    public void close() {
        stop();
    }
}
