package io.tokenhost.launcher;

import io.tokenhost.host.common.CommandResult;
import io.tokenhost.host.common.ConsoleProtocol;
import io.tokenhost.host.common.OwnerOnlyDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * {@code tokenhost client <words...>}: runs one Gogo command line in the running host of this
 * installation over its Unix-socket console, prints the output and returns the command's status.
 * The words are joined with single spaces and parsed by Gogo, as {@code ssh} does with its command.
 * Never touches logging: the client may run as a user who cannot write the host's log.
 */
public final class ConsoleClient {

    /** Exit status when no host is running at the installation. */
    public static final int NO_HOST = 2;
    /** Exit status when the caller may not use the console. */
    public static final int NOT_PERMITTED = 77;
    /** Exit status for usage errors. */
    public static final int USAGE = 64;

    private final Home home;
    private final PrintStream out;
    private final PrintStream err;

    public ConsoleClient(Home home, PrintStream out, PrintStream err) {
        this.home = home;
        this.out = out;
        this.err = err;
    }

    public int run(List<String> words) {
        if (words.isEmpty()) {
            err.println("usage: tokenhost client <command> [arguments...]   (e.g. tokenhost client lb)");
            return USAGE;
        }
        String line = String.join(" ", words);
        Path socket = home.consoleSocket();
        try {
            // Before connecting: a console planted by someone else must not receive our command.
            OwnerOnlyDirectory.verify(socket.getParent(), Files.getOwner(home.root()));
            Files.readAttributes(socket, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return noHost();
        } catch (AccessDeniedException e) {
            return notPermitted();
        } catch (OwnerOnlyDirectory.UnsafeDirectoryException e) {
            err.println("tokenhost: refusing the console at " + socket + ": " + e.getMessage());
            return NOT_PERMITTED;
        } catch (IOException e) {
            err.println("tokenhost: cannot reach the console at " + socket + ": " + e.getMessage());
            return 1;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                // A socket file left by a host that was killed: nobody is listening on it.
                return isPermissionProblem(e) ? notPermitted() : noHost();
            }
            CommandResult response = exchange(channel, line);
            (response.status() == 0 ? out : err).print(response.outputText());
            (response.status() == 0 ? out : err).flush();
            return response.status();
        } catch (IllegalArgumentException e) {
            err.println("tokenhost: " + e.getMessage());
            return USAGE;
        } catch (IOException e) {
            err.println("tokenhost: console connection failed: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Sends the request and reads the answer. A server that refuses early (busy) answers and closes
     * without reading, so a failed write is followed by an attempt to read that answer.
     */
    private static CommandResult exchange(SocketChannel channel, String line) throws IOException {
        InputStream in = Channels.newInputStream(channel);
        try {
            ConsoleProtocol.writeRequest(Channels.newOutputStream(channel), line);
        } catch (IOException writeFailed) {
            try {
                return ConsoleProtocol.readResponse(in);
            } catch (IOException noAnswer) {
                writeFailed.addSuppressed(noAnswer);
                throw writeFailed;
            }
        }
        return ConsoleProtocol.readResponse(in);
    }

    private int noHost() {
        err.println("no tokenhost running at " + home.root());
        return NO_HOST;
    }

    private int notPermitted() {
        err.println("tokenhost: permission denied: the console at " + home.root()
                + " only accepts the user who owns the installation");
        return NOT_PERMITTED;
    }

    private static boolean isPermissionProblem(IOException e) {
        String m = e.getMessage();
        return m != null && m.contains("ermission denied");
    }
}
