package io.tokenhost.remote.worker;

import io.tokenhost.api.SecretFiles;
import io.tokenhost.api.distribution.MalformedContainerException;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.api.distribution.TokenContainerCodec;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's last good container on disk ({@code data/worker/last-container}), so that a worker
 * restarted while the manager is down can serve the tokens that are still valid. Written after
 * every applied container, atomically and owner-only ({@link SecretFiles}), in a directory only
 * the owner may enter. A file that cannot be trusted (malformed, truncated, from a newer
 * Tokenhost) is never used: it is moved aside as {@code last-container.corrupt-<time>}, still
 * owner-only, with one ERROR naming it and the reason. Thread-safe.
 *
 * <pre>
 * size  field (big-endian)
 * 4     magic "THLC"
 * 1     file format, 2 (format 1, without the fence, is still read)
 * 8     written at, milliseconds since the epoch
 * 8     manager epoch the container came from (0: not known)
 * 8     fence: the highest leader epoch applied (high availability; 0: none); format 2 only
 * 4     container length N, at most {@link TokenContainerCodec#MAX_ENCODED_BYTES}
 * N     the container, {@link TokenContainerCodec} (its own version, valid-until and CRC inside)
 * 4     CRC-32C of every byte before it
 * </pre>
 */
public final class LastContainerFile {

    /** The file's name, under the installation's {@code data/worker/}. */
    public static final String NAME = "last-container";
    static final int FORMAT = 2;

    private static final Logger LOG = LoggerFactory.getLogger(LastContainerFile.class);
    private static final int MAGIC = 0x54484C43; // "THLC"
    private static final int HEADER_BYTES_1 = 4 + 1 + 8 + 8 + 4;
    private static final int HEADER_BYTES = HEADER_BYTES_1 + 8;
    private static final int CRC_BYTES = 4;
    private static final DateTimeFormatter ASIDE_SUFFIX =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final Clock clock;
    private boolean failing;

    public LastContainerFile(Path file, Clock clock) {
        this.file = file.toAbsolutePath();
        this.clock = clock;
    }

    /** A container read back, with where it came from. */
    public record Saved(TokenContainer container, long managerEpoch, Instant written, long fence) {
        @Override
        public String toString() {
            return "Saved[" + container + ", written " + written + "]";
        }
    }

    public Path path() {
        return file;
    }

    /**
     * Writes the container; a failure is logged at ERROR (once until a write works again) and
     * otherwise ignored: the tokens are in force anyway, only a restart would miss them.
     */
    public synchronized void save(long managerEpoch, TokenContainer container) {
        save(managerEpoch, 0, container);
    }

    /** {@link #save(long, TokenContainer)} with the fence: the highest leader epoch applied (0: none). */
    public synchronized void save(long managerEpoch, long fence, TokenContainer container) {
        try {
            write(managerEpoch, fence, container);
            if (failing) {
                LOG.info("Saved container version {} to {} again", container.version(), file);
            }
            failing = false;
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                LOG.error("Cannot save container version {} to {} ({}); a restart while the manager is down will"
                        + " start without tokens", container.version(), file, e.toString());
            }
            failing = true;
        }
    }

    /** @throws IOException if the file or its directory cannot be written */
    synchronized void write(long managerEpoch, TokenContainer container) throws IOException {
        write(managerEpoch, 0, container);
    }

    synchronized void write(long managerEpoch, long fence, TokenContainer container) throws IOException {
        byte[] encoded = TokenContainerCodec.encode(container);
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + encoded.length + CRC_BYTES);
        out.putInt(MAGIC).put((byte) FORMAT).putLong(clock.millis()).putLong(managerEpoch).putLong(fence)
                .putInt(encoded.length)
                .put(encoded);
        out.putInt((int) crc(out.array(), out.position()));
        ownerOnlyDirectory(file.getParent());
        SecretFiles.replace(file, out.array());
    }

    /**
     * The saved container, if there is a file that can be trusted. A file that cannot is moved
     * aside with one ERROR naming it and the reason; then, as without a file, empty.
     */
    public synchronized Optional<Saved> read() {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > HEADER_BYTES + TokenContainerCodec.MAX_ENCODED_BYTES + CRC_BYTES) {
                return distrusted(size + " bytes is more than a saved container can take");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return distrusted("cannot read it: " + e);
        }
        try {
            return Optional.of(parse(bytes));
        } catch (MalformedContainerException e) {
            return distrusted(e.getMessage());
        }
    }

    private static Saved parse(byte[] bytes) throws MalformedContainerException {
        if (bytes.length < HEADER_BYTES_1 + CRC_BYTES) {
            throw new MalformedContainerException(bytes.length + " bytes is shorter than the smallest saved container ("
                    + (HEADER_BYTES_1 + CRC_BYTES) + "): truncated");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.getInt() != MAGIC) {
            throw new MalformedContainerException("not a saved container (bad magic)");
        }
        int format = in.get() & 0xFF;
        if (format != FORMAT && format != 1) {
            throw new MalformedContainerException("file format " + format + "; this host reads " + FORMAT
                    + (format > FORMAT ? " (written by a newer Tokenhost?)" : ""));
        }
        int bodyLength = bytes.length - CRC_BYTES;
        if (crc(bytes, bodyLength) != (ByteBuffer.wrap(bytes, bodyLength, CRC_BYTES).getInt() & 0xFFFFFFFFL)) {
            throw new MalformedContainerException("checksum mismatch (corrupt or truncated)");
        }
        try {
            Instant written = Instant.ofEpochMilli(in.getLong());
            long epoch = in.getLong();
            long fence = format == 1 ? 0 : in.getLong();
            int header = format == 1 ? HEADER_BYTES_1 : HEADER_BYTES;
            int length = in.getInt();
            if (length < 0 || length != bodyLength - header) {
                throw new MalformedContainerException("container length " + Integer.toUnsignedString(length)
                        + " does not match the " + (bodyLength - header) + " bytes that follow");
            }
            byte[] encoded = new byte[length];
            in.get(encoded);
            return new Saved(TokenContainerCodec.decode(encoded), epoch, written, fence);
        } catch (BufferUnderflowException e) {
            throw new MalformedContainerException("truncated at offset " + in.position());
        }
    }

    private Optional<Saved> distrusted(String reason) {
        String name = file.getFileName() + ".corrupt-" + ASIDE_SUFFIX.format(clock.instant());
        Path aside = file.resolveSibling(name);
        for (int n = 2; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); n++) {
            aside = file.resolveSibling(name + "-" + n); // never replace an earlier one
        }
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
            Files.setPosixFilePermissions(aside, PosixFilePermissions.fromString("rw-------"));
            LOG.error("Not using the worker's saved container {}: {}; moved it to {}. The worker starts without"
                    + " tokens until the manager sends some", file, reason, aside.getFileName());
        } catch (IOException | UnsupportedOperationException e) {
            LOG.error("Not using the worker's saved container {}: {}; it could not be moved aside ({}). The worker"
                    + " starts without tokens until the manager sends some", file, reason, e.toString());
        }
        return Optional.empty();
    }

    /** Creates the directory owner-only (0700), or narrows an existing one to that. */
    private static void ownerOnlyDirectory(Path dir) throws IOException {
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // checked below
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory");
        }
        if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)
                .equals(PosixFilePermissions.fromString("rwx------"))) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static long crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
