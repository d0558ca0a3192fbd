package io.tokenhost.example.receiver;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationProblems;
import io.tokenhost.api.Configured;
import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.api.SecretFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The smallest useful receiver: keeps the latest tokens of one service in memory and, when
 * {@code file} is configured, in an owner-only file that client code can read. Its configuration
 * follows the host's one reaction ({@link Configured}), like the example provider's.
 */
@Component(configurationPid = ExampleReceiver.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ExampleReceiver.Config.class)
public class ExampleReceiver implements DelegationTokenReceiver {

    static final String PID = "io.tokenhost.example.receiver";

    /** The keys and their defaults, declared once. DS maps {@code service_name} to {@code service.name}. */
    @ObjectClassDefinition(id = PID, name = "Tokenhost example receiver")
    public @interface Config {
        @AttributeDefinition(description = "The service whose tokens are received; fixed while the receiver runs.")
        String service_name() default "example";

        @AttributeDefinition(description = "Where to keep the tokens, owner-only; empty: in memory only.")
        String file() default "";
    }

    /** A configuration that passed every check. */
    record Settings(String serviceName, Optional<Path> file) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ExampleReceiver.class);

    private final Configured<Settings> settings =
            new Configured<>(PID, Config.class, this::check, LOG::error, LOG::warn);
    private byte[] current; // guarded by this

    @Activate
    public ExampleReceiver(Map<String, Object> properties, @Reference ConfigurationProblems problems) {
        settings.reportTo(problems);
        settings.activate(properties); // refused: throws, and the receiver does not start
    }

    /** A refused configuration keeps the previous settings; a new file takes the tokens over from the old one. */
    @Modified
    synchronized void modified(Map<String, Object> properties) throws IOException {
        Optional<Path> before = file();
        settings.modify(properties);
        if (!file().equals(before)) {
            if (before.isPresent()) {
                SecretFiles.delete(before.get());
            }
            if (current != null) {
                store(current);
            }
        }
    }

    private Settings check(ConfigValues values) {
        String serviceName = values.serviceName("service.name");
        // The host reads a receiver's service name once, when the receiver appears.
        String running = settings.current().map(Settings::serviceName).orElse(serviceName);
        if (!running.equals(serviceName)) {
            throw values.refused("service.name",
                    "must stay '" + running + "' while the receiver runs (restart its bundle to rename it)");
        }
        return new Settings(serviceName, values.text("file").map(name -> Path.of(name).toAbsolutePath()));
    }

    @Override
    public String serviceName() {
        return settings.current().orElseThrow().serviceName();
    }

    @Override
    public synchronized void onNewTokensObtained(byte[] tokens) throws IOException {
        store(tokens);
        current = tokens.clone();
    }

    @Override
    public synchronized void onTokensWithdrawn() throws IOException {
        current = null;
        if (file().isPresent()) {
            SecretFiles.delete(file().get());
        }
    }

    /** A copy of the tokens held now, if any. */
    public synchronized Optional<byte[]> currentTokens() {
        return Optional.ofNullable(current).map(byte[]::clone);
    }

    private void store(byte[] tokens) throws IOException {
        if (file().isPresent()) {
            SecretFiles.replace(file().get(), tokens);
        }
    }

    private Optional<Path> file() {
        return settings.current().orElseThrow().file();
    }
}
