package io.tokenhost.sandbox.cluster;

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
 * A TCP relay in front of the KDC that can be switched off and on, to simulate a KDC outage for
 * the token host (its krb5.conf points here) while the cluster in this JVM keeps the real KDC.
 * Off: the port refuses connections and open ones are cut.
 */
public final class KdcSwitch implements AutoCloseable {

    private final int kdcPort;
    private int port;
    private ServerSocket server;
    private final List<Socket> open = new ArrayList<>();

    public KdcSwitch(int kdcPort) {
        this.kdcPort = kdcPort;
    }

    public synchronized int port() {
        return port;
    }

    /** Starts relaying; the first time on a free port, later on the same one. */
    public synchronized void on() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        port = socket.getLocalPort();
        server = socket;
        Thread acceptor = new Thread(() -> accept(socket), "kdc-switch-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Stops relaying: new connections are refused, open ones closed. */
    public synchronized void off() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        for (Socket s : open) {
            s.close();
        }
        open.clear();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket kdc = new Socket(InetAddress.getLoopbackAddress(), kdcPort);
                synchronized (this) {
                    open.add(client);
                    open.add(kdc);
                }
                pump(client, kdc);
                pump(kdc, client);
            } catch (IOException e) {
                // closed, or the KDC refused: the client sees its connection end
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // connection ended
            } finally {
                try {
                    to.shutdownOutput();
                } catch (IOException e) {
                    // already closed
                }
            }
        }, "kdc-switch-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        off();
    }
}
