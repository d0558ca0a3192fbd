package io.tokenhost.example.receiver;

import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.api.SecretFiles;
import io.tokenhost.api.ServiceNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * The smallest useful receiver: keeps the latest tokens of one service in memory and, when
 * {@code file} is configured, in an owner-only file that client code can read.
 *
 * <p>Configuration PID {@code io.tokenhost.example.receiver} (optional): {@code service.name}
 * (default {@code example}) and {@code file} (default: none, memory only).
 */
@Component(configurationPid = "io.tokenhost.example.receiver",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class ExampleReceiver implements DelegationTokenReceiver {

    /** Configuration keys: DS maps {@code service_name} to {@code service.name}. */
    public @interface Config {
        String service_name() default "example";

        String file() default "";
    }

    private final String serviceName;
    private final Optional<Path> file;
    private volatile byte[] current;

    @Activate
    public ExampleReceiver(Config config) {
        this(config.service_name(),
                config.file().isBlank() ? Optional.empty() : Optional.of(Path.of(config.file().trim())));
    }

    ExampleReceiver(String serviceName, Optional<Path> file) {
        this.serviceName = ServiceNames.validate(serviceName);
        this.file = file.map(Path::toAbsolutePath);
    }

    @Override
    public String serviceName() {
        return serviceName;
    }

    @Override
    public void onNewTokensObtained(byte[] tokens) throws IOException {
        if (file.isPresent()) {
            SecretFiles.replace(file.get(), tokens);
        }
        current = tokens.clone();
    }

    @Override
    public void onTokensWithdrawn() throws IOException {
        current = null;
        if (file.isPresent()) {
            SecretFiles.delete(file.get());
        }
    }

    /** A copy of the tokens held now, if any. */
    public Optional<byte[]> currentTokens() {
        byte[] tokens = current;
        return tokens == null ? Optional.empty() : Optional.of(tokens.clone());
    }
}
