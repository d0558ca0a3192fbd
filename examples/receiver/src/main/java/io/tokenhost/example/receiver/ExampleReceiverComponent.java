package io.tokenhost.example.receiver;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.Configured;
import io.tokenhost.api.ConfiguredComponent;
import io.tokenhost.api.DelegationTokenReceiver;
import java.nio.file.Path;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers an {@link ExampleReceiver} for each accepted configuration of PID {@value #PID}, with the
 * host's one reaction to a bad value, like the example provider's component. A new configuration
 * replaces the receiver; the host hands the new one the current tokens at once.
 */
@Component(configurationPid = ExampleReceiverComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {}, immediate = true)
@Designate(ocd = ExampleReceiverComponent.Config.class)
public class ExampleReceiverComponent extends ConfiguredComponent<ExampleReceiverComponent.Settings> {

    static final String PID = "io.tokenhost.example.receiver";

    /** The keys and their defaults, declared once. DS maps {@code service_name} to {@code service.name}. */
    @ObjectClassDefinition(id = PID, name = "Tokenhost example receiver")
    public @interface Config {
        @AttributeDefinition(description = "The service whose tokens are received.")
        String service_name() default "example";

        @AttributeDefinition(description = "Where to keep the tokens, owner-only; empty: in memory only.")
        String file() default "";
    }

    /** A configuration that passed every check. */
    record Settings(String serviceName, Optional<Path> file) {
        static Settings parse(ConfigValues values) {
            return new Settings(values.serviceName("service.name"),
                    values.text("file").map(name -> Path.of(name).toAbsolutePath()));
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ExampleReceiverComponent.class);

    public ExampleReceiverComponent() {
        super(new Configured<>(PID, Config.class, Settings::parse, LOG::error, LOG::warn));
    }

    @Override
    protected AutoCloseable start(Settings settings) {
        ExampleReceiver started = new ExampleReceiver(settings.serviceName(), settings.file());
        AutoCloseable registration = register(DelegationTokenReceiver.class, started, null);
        return () -> {
            registration.close();
            started.close();
        };
    }
}
