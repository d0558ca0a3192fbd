package io.tokenhost.host.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Plugins whose start did not return within the deadline, kept in one owner-only file written
 * atomically ({@code data/plugin-quarantine.properties}): such a plugin is not started again, so the
 * host always comes up. An entry holds the jar's SHA-256; a different jar under the same bundle
 * symbolic name (a fixed build) is not quarantined. {@code token:release <bsn>} deletes the entry.
 */
final class PluginQuarantine {

    static final String FILE_NAME = "plugin-quarantine.properties";

    /** One quarantined plugin. */
    record Entry(String symbolicName, String version, String sha256, Instant since) {
        String format() {
            return version + " " + sha256 + " " + since;
        }

        static Optional<Entry> parse(String symbolicName, String value) {
            String[] parts = value.trim().split(" ");
            if (parts.length != 3) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Entry(symbolicName, parts[0], parts[1], Instant.parse(parts[2])));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    private final Path file;
    private final Map<String, Entry> entries = new TreeMap<>();

    PluginQuarantine(Path file) {
        this.file = file;
        load();
    }

    Path file() {
        return file;
    }

    /** The entry that keeps this jar from starting: same symbolic name and same content. */
    synchronized Optional<Entry> holding(String symbolicName, Path jar) {
        Entry entry = entries.get(symbolicName);
        if (entry == null) {
            return Optional.empty();
        }
        try {
            return entry.sha256().equals(sha256(jar)) ? Optional.of(entry) : Optional.empty();
        } catch (IOException e) {
            return Optional.of(entry); // cannot tell it is another jar: keep it out
        }
    }

    synchronized Map<String, Entry> entries() {
        return Map.copyOf(entries);
    }

    synchronized void add(String symbolicName, String version, Path jar, Instant since) throws IOException {
        entries.put(symbolicName, new Entry(symbolicName, version, sha256(jar), since));
        save();
    }

    /** Whether there was an entry to delete. */
    synchronized boolean release(String symbolicName) throws IOException {
        if (entries.remove(symbolicName) == null) {
            return false;
        }
        save();
        return true;
    }

    private void load() {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        properties.stringPropertyNames().forEach(name ->
                Entry.parse(name, properties.getProperty(name)).ifPresent(entry -> entries.put(name, entry)));
    }

    private void save() throws IOException {
        Properties properties = new Properties();
        entries.values().forEach(e -> properties.setProperty(e.symbolicName(), e.format()));
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                properties.store(out, "Plugins whose start hung: not started. Release: token:release <bundle symbolic name>");
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static String sha256(Path jar) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(jar), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
