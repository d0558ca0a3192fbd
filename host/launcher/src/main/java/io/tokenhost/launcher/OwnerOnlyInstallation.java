package io.tokenhost.launcher;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps what the host writes owner-only: {@code data/} (the Felix cache with ConfigAdmin's copies of
 * {@code conf/*.cfg}, a worker's saved tokens) and {@code log/}. At every start it creates them
 * 0700 if they are missing and takes every group and other permission off what is below them
 * (an installation from before this rule, or files written by a host started without {@code
 * bin/tokenhost}, whose {@code umask 077} makes new files owner-only). Symbolic links are neither
 * followed nor changed. Runs before logging starts (logback creates {@code log/tokenhost.log}), so it
 * reports what it did for the caller to log.
 */
final class OwnerOnlyInstallation {

    private static final Set<PosixFilePermission> GROUP_AND_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final int EXAMPLES = 3;

    /** What {@link #secure} changed: counts and the first few paths, relative to the installation. */
    record Tightened(int directories, int files, List<Path> examples, List<String> failures) {
        boolean any() {
            return directories + files > 0;
        }
    }

    private OwnerOnlyInstallation() {
    }

    /** Creates and tightens {@code data/} and {@code log/}; never throws (failures are reported). */
    static Tightened secure(Home home) {
        Walker walker = new Walker(home.root());
        for (Path dir : List.of(home.dataDir(), home.logDir())) {
            try {
                if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------")); // whatever the umask
                } else {
                    Files.walkFileTree(dir, walker);
                }
            } catch (IOException | UnsupportedOperationException e) {
                walker.failures.add(home.root().relativize(dir) + ": " + e);
            }
        }
        return new Tightened(walker.directories, walker.files, List.copyOf(walker.examples), List.copyOf(walker.failures));
    }

    /**
     * A warning if files this process creates would be readable by group or others (its umask lets
     * them through), found by creating a probe file in {@code dir}; empty if they would not.
     */
    static Optional<String> laxUmask(Path dir) {
        Path probe = dir.resolve(".umask-probe-" + ProcessHandle.current().pid());
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(probe);
            permissions.retainAll(GROUP_AND_OTHERS);
            return permissions.isEmpty() ? Optional.empty() : Optional.of("the host runs with a umask that lets group"
                    + " or others read the files it creates (a new file here gets "
                    + PosixFilePermissions.toString(Files.getPosixFilePermissions(probe)) + "); data/ and log/ are 0700,"
                    + " so other users cannot reach them, and the next start tightens them, but start the host with"
                    + " bin/tokenhost (umask 077) or set UMask=0077 in its systemd unit");
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                // left behind: harmless, and tightened at the next start
            }
        }
    }

    private static final class Walker extends SimpleFileVisitor<Path> {
        private final Path root;
        int directories;
        int files;
        final List<Path> examples = new ArrayList<>();
        final List<String> failures = new ArrayList<>();

        Walker(Path root) {
            this.root = root;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            if (tighten(dir)) {
                directories++;
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            if (attributes.isRegularFile() && tighten(file)) {
                files++;
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            failures.add(root.relativize(file) + ": " + e);
            return FileVisitResult.CONTINUE;
        }

        private boolean tighten(Path path) {
            try {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
                if (!permissions.removeAll(GROUP_AND_OTHERS)) {
                    return false;
                }
                Files.setPosixFilePermissions(path, permissions);
                if (examples.size() < EXAMPLES) {
                    examples.add(root.relativize(path));
                }
                return true;
            } catch (IOException | UnsupportedOperationException e) {
                failures.add(root.relativize(path) + ": " + e);
                return false;
            }
        }
    }
}
