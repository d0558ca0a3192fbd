package io.tokenhost.host.console;

import io.tokenhost.host.common.CommandResult;
import io.tokenhost.host.common.ConsoleLocation;
import io.tokenhost.host.common.ConsoleProtocol;
import io.tokenhost.host.common.OwnerOnlyDirectory;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link ConsoleProtocol} on a Unix domain socket. Two locks on the door: the socket's
 * directory is an {@link OwnerOnlyDirectory}, and every connection's peer uid ({@code SO_PEERCRED}) must pass the
 * {@link PeerCheck} before its command runs. At most {@code maxConcurrent} connections are served
 * at once (one thread each); further ones get {@link ConsoleProtocol#BUSY}. A client has
 * {@code requestTimeout} to send its request, else its connection is closed, so that idle
 * connections cannot hold the slots; both kinds of refusal are counted ({@link #refusals()}).
 */
public final class ConsoleServer implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    /** The audit log (log/audit.jsonl): one line per command run, naming the user and the command only. */
    private static final Logger AUDIT = LoggerFactory.getLogger("tokenhost.audit");

    private final Path socket;
    private final PeerCheck peerCheck;
    private final CommandExecutor executor;
    private final Duration requestTimeout;
    private final ServerSocketChannel server;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timeouts;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private final int maxConcurrent;
    private final ConsoleRefusals refusals = new ConsoleRefusals(java.time.Clock.systemUTC());
    private volatile boolean closed;

    private ConsoleServer(Path socket, PeerCheck peerCheck, CommandExecutor executor, int maxConcurrent,
            Duration requestTimeout, ServerSocketChannel server) {
        this.socket = socket;
        this.peerCheck = peerCheck;
        this.executor = executor;
        this.requestTimeout = requestTimeout;
        this.server = server;
        this.maxConcurrent = maxConcurrent;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(maxConcurrent, maxConcurrent, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> daemon(r, "tokenhost-console-" + n.incrementAndGet()));
        this.workers.allowCoreThreadTimeOut(true);
        this.timeouts = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "tokenhost-console-timeout"));
        this.acceptor = daemon(this::acceptLoop, "tokenhost-console-accept");
    }

    /** Binds the socket (replacing a stale one) and starts accepting. */
    public static ConsoleServer start(Path socket, PeerCheck peerCheck, CommandExecutor executor,
            int maxConcurrent, Duration requestTimeout) throws IOException {
        Path socketFile = socket.toAbsolutePath();
        ConsoleLocation.checkLength(socketFile);
        OwnerOnlyDirectory.prepare(socketFile.getParent());
        removeStaleSocket(socketFile);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socketFile), 16);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new IOException("cannot listen on " + socketFile + ": " + e.getMessage(), e);
        }
        ConsoleServer console = new ConsoleServer(socketFile, peerCheck, executor, maxConcurrent,
                requestTimeout, server);
        console.acceptor.start();
        return console;
    }

    public Path socket() {
        return socket;
    }

    /** Connections refused busy and closed idle since the start, by counter name. */
    public java.util.Map<String, Long> refusals() {
        return refusals.counts();
    }

    /** Stops accepting, interrupts running commands, closes connections, deletes the socket file. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        workers.shutdownNow();
        connections.forEach(ConsoleServer::closeQuietly);
        timeouts.shutdownNow();
        try {
            acceptor.join(2000);
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("console: could not delete {}: {}", socket, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel connection;
            try {
                connection = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("console: accept failed: {}", e.getMessage());
                }
                continue;
            }
            try {
                workers.execute(() -> serve(connection));
            } catch (RejectedExecutionException e) {
                refusals.busy(maxConcurrent);
                respondQuietly(connection, "tokenhost console busy: try again", ConsoleProtocol.BUSY);
            }
        }
    }

    private void serve(SocketChannel connection) {
        connections.add(connection);
        try (connection) {
            InputStream in = Channels.newInputStream(connection);
            OutputStream out = Channels.newOutputStream(connection);
            String line;
            ScheduledFuture<?> guard = timeouts.schedule(() -> {
                refusals.idle(requestTimeout);
                closeQuietly(connection);
            }, requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                line = ConsoleProtocol.readRequest(in);
            } catch (ConsoleProtocol.MalformedRequestException e) {
                ConsoleProtocol.writeResponse(out, "bad request: " + e.getMessage(), ConsoleProtocol.BAD_REQUEST);
                return;
            } finally {
                guard.cancel(false);
            }
            // Checked after reading, so that a refused client reliably gets the answer instead of a
            // broken pipe while it is still writing.
            UnixDomainPrincipal peer = connection.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (!peerCheck.allows(peer)) {
                LOG.warn("console: refused user {}: only the installation owner {} may run commands",
                        peer == null ? "?" : peer.user().getName(), peerCheck.owner().getName());
                ConsoleProtocol.writeResponse(out, "permission denied: the tokenhost console only accepts "
                        + peerCheck.owner().getName() + "\n", ConsoleProtocol.NOT_PERMITTED);
                return;
            }
            CommandResult result = executor.execute(line);
            // The command name only: arguments may hold secrets.
            LOG.debug("console: {} ran '{}', status {}", peer.user().getName(), commandName(line), result.status());
            AUDIT.atInfo().addKeyValue("event", "console_command").addKeyValue("user", peer.user().getName())
                    .addKeyValue("command", commandName(line)).addKeyValue("status", result.status())
                    .log("console command");
            ConsoleProtocol.writeResponse(out, result.output(), result.status());
        } catch (IOException e) {
            LOG.debug("console: connection ended: {}", e.toString());
        } finally {
            connections.remove(connection);
        }
    }

    static String commandName(String line) {
        String trimmed = line.strip();
        int end = 0;
        while (end < trimmed.length() && !Character.isWhitespace(trimmed.charAt(end))) {
            end++;
        }
        return trimmed.substring(0, Math.min(end, 64));
    }

    private static void removeStaleSocket(Path socket) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        }
        if (!attributes.isOther()) {
            throw new IOException("refusing to replace " + socket + ": it is not a socket");
        }
        if (answers(socket)) {
            throw new IOException("another host of this installation already serves its console at " + socket);
        }
        Files.delete(socket);
    }

    /** A socket left by a killed host refuses connections; a running host's accepts them. */
    private static boolean answers(Path socket) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void respondQuietly(SocketChannel connection, String message, int status) {
        try (connection) {
            ConsoleProtocol.writeResponse(Channels.newOutputStream(connection), message + "\n", status);
        } catch (IOException e) {
            LOG.debug("console: could not answer a connection: {}", e.toString());
        }
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
