package ${package};

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

/** Registers a {@link TokenReceiver} for each accepted configuration of {@code conf/${package}.receiver.cfg}. */
@Component(configurationPid = ReceiverComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {}, immediate = true)
@Designate(ocd = ReceiverComponent.Config.class)
public class ReceiverComponent extends ConfiguredComponent<ReceiverComponent.Settings> {

    static final String PID = "${package}.receiver";

    @ObjectClassDefinition(id = PID, name = "${artifactId} receiver")
    public @interface Config {
        @AttributeDefinition(description = "The service whose tokens are received.")
        String service_name() default "${service}";

        @AttributeDefinition(description = "Where to keep the tokens, owner-only; empty: nowhere.")
        String file() default "";
    }

    record Settings(String serviceName, Optional<Path> file) {
        static Settings parse(ConfigValues values) {
            return new Settings(values.serviceName("service.name"),
                    values.text("file").map(name -> Path.of(name).toAbsolutePath()));
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReceiverComponent.class);

    public ReceiverComponent() {
        super(new Configured<>(PID, Config.class, Settings::parse, LOG::error, LOG::warn));
    }

    @Override
    protected AutoCloseable start(Settings settings) {
        TokenReceiver receiver = new TokenReceiver(settings.serviceName(), settings.file());
        AutoCloseable registration = register(DelegationTokenReceiver.class, receiver, null);
        return () -> {
            registration.close();
            receiver.close();
        };
    }
}
