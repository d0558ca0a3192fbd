package io.tokenhost.hadoop.common;

import io.tokenhost.api.SecretFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Hadoop token file, replaced atomically through {@link SecretFiles}:
 * a process reading it through {@code HADOOP_TOKEN_FILE_LOCATION} sees the old or the new tokens,
 * never a mix, and nobody but the owner can read it at any moment.
 */
public final class TokenFile {

    private final Path path;

    public TokenFile(Path path) {
        this.path = path.toAbsolutePath();
    }

    public Path path() {
        return path;
    }

    public void write(byte[] tokens) throws IOException {
        SecretFiles.replace(path, tokens);
    }

    public byte[] read() throws IOException {
        return Files.readAllBytes(path);
    }

    /** Deletes the file; whether it was there. */
    public boolean delete() throws IOException {
        return SecretFiles.delete(path);
    }
}
