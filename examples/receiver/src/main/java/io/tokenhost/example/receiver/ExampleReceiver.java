package io.tokenhost.example.receiver;

import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.api.SecretFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The smallest useful receiver: keeps the latest tokens of one service in memory and, when a file
 * is given, in an owner-only file that client code can read (written atomically). {@link
 * ExampleReceiverComponent} creates and registers it from an accepted configuration; closing it
 * removes its file, since nobody keeps that file fresh any more.
 */
public final class ExampleReceiver implements DelegationTokenReceiver, AutoCloseable {

    private final String serviceName;
    private final Optional<Path> file;
    private byte[] current; // guarded by this

    public ExampleReceiver(String serviceName, Optional<Path> file) {
        this.serviceName = serviceName;
        this.file = file;
    }

    @Override
    public String serviceName() {
        return serviceName;
    }

    @Override
    public synchronized void onNewTokensObtained(byte[] tokens) throws IOException {
        if (file.isPresent()) {
            SecretFiles.replace(file.get(), tokens);
        }
        current = tokens.clone();
    }

    @Override
    public synchronized void onTokensWithdrawn() throws IOException {
        current = null;
        if (file.isPresent()) {
            SecretFiles.delete(file.get());
        }
    }

    /** A copy of the tokens held now, if any. */
    public synchronized Optional<byte[]> currentTokens() {
        return Optional.ofNullable(current).map(byte[]::clone);
    }

    @Override
    public void close() throws IOException {
        onTokensWithdrawn();
    }
}
