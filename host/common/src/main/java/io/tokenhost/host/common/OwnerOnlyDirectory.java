package io.tokenhost.host.common;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

/**
 * A directory only its owner can enter, possibly in a shared place such as {@code /tmp}: the host
 * {@linkplain #prepare creates or checks} it before it binds a socket there, the client
 * {@linkplain #verify checks} it before it connects. Never follows a symbolic link at the
 * directory itself, and refuses a directory someone else owns or a parent where someone else could
 * replace it: in a shared {@code /tmp} anyone can plant either before the host first starts.
 */
public final class OwnerOnlyDirectory {

    private static final int GROUP_OR_OTHER_BITS = 0077;
    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int STICKY = 01000;

    private OwnerOnlyDirectory() {
    }

    /** Refusal of a directory that cannot be made safe; the message names the path and the reason. */
    public static final class UnsafeDirectoryException extends IOException {
        UnsafeDirectoryException(Path dir, String reason) {
            super("unsafe directory " + dir + ": " + reason);
        }
    }

    /**
     * Creates {@code dir} with mode 0700, or accepts an existing one that this process's user owns
     * (narrowing its mode to 0700 first, so that nobody else can change its entries afterwards).
     */
    public static void prepare(Path dir) throws IOException {
        UserPrincipal self = processUser();
        checkParent(dir, self);
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // exists: checked below, whatever it is
        }
        PosixFileAttributes attributes = attributesOf(dir);
        checkOwner(dir, attributes, self);
        if (mode(dir) != 0700) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /**
     * Checks that {@code dir} is a real directory owned by {@code owner} that only its owner can
     * enter. Throws {@link NoSuchFileException} if it does not exist.
     */
    public static void verify(Path dir, UserPrincipal owner) throws IOException {
        checkParent(dir, owner);
        PosixFileAttributes attributes = attributesOf(dir);
        checkOwner(dir, attributes, owner);
        if ((mode(dir) & GROUP_OR_OTHER_BITS) != 0) {
            throw new UnsafeDirectoryException(dir, "its mode is " + PosixFilePermissions.toString(attributes.permissions())
                    + ", others may enter it (expected rwx------)");
        }
    }

    private static void checkParent(Path dir, UserPrincipal owner) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent == null) {
            throw new UnsafeDirectoryException(dir, "it has no parent directory");
        }
        Path real = parent.toRealPath();
        int parentMode = mode(real);
        if ((parentMode & GROUP_OR_OTHER_WRITE) != 0 && (parentMode & STICKY) == 0) {
            throw new UnsafeDirectoryException(dir, "its parent " + real + " is writable by others and not sticky"
                    + " (mode " + Integer.toOctalString(parentMode & 07777) + "), so anyone could replace it");
        }
        int parentUid = (Integer) Files.getAttribute(real, "unix:uid");
        if (parentUid != 0 && !Files.getOwner(real).equals(owner)) {
            throw new UnsafeDirectoryException(dir, "its parent " + real + " belongs to "
                    + Files.getOwner(real).getName() + ", who could replace it");
        }
    }

    private static PosixFileAttributes attributesOf(Path dir) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            throw new UnsafeDirectoryException(dir, "it is a symbolic link (not followed)");
        }
        if (!attributes.isDirectory()) {
            throw new UnsafeDirectoryException(dir, "it is not a directory");
        }
        return attributes;
    }

    private static void checkOwner(Path dir, PosixFileAttributes attributes, UserPrincipal expected)
            throws UnsafeDirectoryException {
        if (!attributes.owner().equals(expected)) {
            throw new UnsafeDirectoryException(dir, "it belongs to " + attributes.owner().getName()
                    + ", not to " + expected.getName());
        }
    }

    private static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    private static UserPrincipal processUser() throws IOException {
        return FileSystems.getDefault().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
    }
}
