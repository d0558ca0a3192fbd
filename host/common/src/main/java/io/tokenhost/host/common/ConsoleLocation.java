package io.tokenhost.host.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where the console socket of an installation lives. Not inside the installation: Unix socket
 * paths are limited to {@value #MAX_SOCKET_PATH_BYTES} bytes, which an installation below a deep
 * home directory exceeds. Instead one short owner-only directory per user,
 * {@code /tmp/tokenhost-<uid of the installation's owner>} (or {@value #DIR_PROPERTY}), holds one
 * socket per installation, named by a hash of the installation's real path, so that two
 * installations never collide. Host and client compute the same path from the installation alone.
 */
public final class ConsoleLocation {

    /** System property naming the directory that holds the sockets, instead of the default. */
    public static final String DIR_PROPERTY = "tokenhost.console.dir";
    /** {@code sun_path} is 108 bytes with the terminating NUL. */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    private ConsoleLocation() {
    }

    /**
     * The socket of the installation at {@code installation}; {@code directory} overrides the
     * default directory when not null or blank.
     */
    public static Path socketFor(Path installation, String directory) throws IOException {
        Path root = installation.toRealPath();
        Path dir = directory == null || directory.isBlank()
                ? Path.of("/tmp", "tokenhost-" + Files.getAttribute(root, "unix:uid"))
                : Path.of(directory).toAbsolutePath().normalize();
        return dir.resolve(shortHash(root.toString()) + ".sock");
    }

    /** Fails with a message that says what to do if {@code socket} is too long to bind. */
    public static void checkLength(Path socket) throws IOException {
        int bytes = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_SOCKET_PATH_BYTES) {
            throw new IOException("console socket path " + socket + " is " + bytes + " bytes, over the "
                    + MAX_SOCKET_PATH_BYTES + "-byte limit of Unix sockets: set " + DIR_PROPERTY
                    + " to a shorter directory");
        }
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
