package io.tokenhost.itests.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay in front of a local service (moto's STS, a KDC) that can be switched off
 * and on, to show the host an outage while the service itself keeps its state. Off, the port
 * refuses connections and open ones are cut; on again, it listens on the same port.
 */
public final class TcpRelay implements AutoCloseable {

    private final int targetPort;
    private final List<Socket> open = new ArrayList<>();
    private int port;
    private ServerSocket server;
    private Thread acceptor;

    public TcpRelay(int targetPort) {
        this.targetPort = targetPort;
    }

    /** The port it listens on; 0 before the first {@link #start()}. */
    public synchronized int port() {
        return port;
    }

    /** Starts relaying: the first time on a free port, later on the same one. */
    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket listening = new ServerSocket();
        listening.setReuseAddress(true);
        listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        port = listening.getLocalPort();
        server = listening;
        acceptor = new Thread(() -> accept(listening), "tcp-relay-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Stops relaying: new connections are refused, open ones closed. */
    public void stop() throws InterruptedException {
        Thread stopping;
        synchronized (this) {
            closeQuietly(server);
            server = null;
            open.forEach(TcpRelay::closeQuietly);
            open.clear();
            stopping = acceptor;
            acceptor = null;
        }
        // A listening socket closed while a thread waits in accept() lives on, taking connections,
        // until that thread has woken up: only then does the port refuse them.
        if (stopping != null) {
            stopping.join(5000);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            Socket client;
            try {
                client = listening.accept();
            } catch (IOException e) {
                continue; // closed by stop(): the loop ends
            }
            try {
                relay(listening, client, new Socket(InetAddress.getLoopbackAddress(), targetPort));
            } catch (IOException e) {
                closeQuietly(client); // the service refused: the client sees its connection end
            }
        }
    }

    private synchronized void relay(ServerSocket listening, Socket client, Socket service) {
        if (server != listening) { // stopped while this connection was being accepted
            closeQuietly(client);
            closeQuietly(service);
            return;
        }
        open.add(client);
        open.add(service);
        AtomicInteger directions = new AtomicInteger(2);
        pump(client, service, directions);
        pump(service, client, directions);
    }

    /**
     * Copies one direction. At its end the other side only learns that nothing more comes
     * (half-close), so a reply can still flow back; when both directions ended the connection closes.
     */
    private void pump(Socket from, Socket to, AtomicInteger directions) {
        Thread pump = new Thread(() -> {
            try {
                // Not closed here: closing a socket's stream closes the socket, both directions.
                from.getInputStream().transferTo(to.getOutputStream());
                to.shutdownOutput();
            } catch (IOException e) {
                // the connection was cut
            }
            if (directions.decrementAndGet() == 0) {
                forget(from, to);
            }
        }, "tcp-relay-pump-" + port);
        pump.setDaemon(true);
        pump.start();
    }

    private synchronized void forget(Socket a, Socket b) {
        closeQuietly(a);
        closeQuietly(b);
        open.remove(a);
        open.remove(b);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception e) {
            // already closed
        }
    }
}
