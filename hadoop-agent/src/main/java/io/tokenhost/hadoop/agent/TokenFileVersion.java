package io.tokenhost.hadoop.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One version of the token file: its bytes and their fingerprint (the first 12 hex digits of their
 * SHA-256, as Tokenhost's {@code token:status} shows the same tokens). The file is replaced
 * atomically by the receiver, so one read sees one whole version.
 */
record TokenFileVersion(byte[] bytes, String fingerprint) {

    /** The file's current version, or empty while it does not exist (withdrawn, or not written yet). */
    static Optional<TokenFileVersion> read(Path file) throws IOException {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return Optional.of(new TokenFileVersion(bytes, fingerprint(bytes)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    static String fingerprint(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "token file version " + fingerprint + " (" + bytes.length + " B)";
    }
}
