package ${package};

import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.api.SecretFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Receives the tokens of one service and, if a file is configured, keeps them there for client
 * code: owner-only, replaced atomically ({@link SecretFiles}), removed when the tokens are
 * withdrawn or the receiver stops.
 */
public final class TokenReceiver implements DelegationTokenReceiver, AutoCloseable {

    private final String serviceName;
    private final Optional<Path> file;

    public TokenReceiver(String serviceName, Optional<Path> file) {
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
    }

    @Override
    public synchronized void onTokensWithdrawn() throws IOException {
        if (file.isPresent()) {
            SecretFiles.delete(file.get());
        }
    }

    @Override
    public void close() throws IOException {
        onTokensWithdrawn();
    }
}
