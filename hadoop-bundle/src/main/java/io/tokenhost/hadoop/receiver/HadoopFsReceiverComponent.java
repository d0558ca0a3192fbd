package io.tokenhost.hadoop.receiver;

import io.tokenhost.api.Configured;
import io.tokenhost.api.ConfiguredComponent;
import io.tokenhost.api.DelegationTokenReceiver;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Hadoop receiver (one registered receiver per service of its {@code services} key, all
 * writing one token file), configured by PID {@code io.tokenhost.hadoop.receiver}
 * (optional; keys in {@link ReceiverConfig}). The receiver is registered by hand so that an accepted
 * configuration replaces it as a whole (the host hands the new one the current tokens at once),
 * while a refused one leaves it running, or none at all if no configuration was ever accepted.
 */
@Component(configurationPid = ReceiverConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {}, immediate = true)
@Designate(ocd = ReceiverConfig.class)
public class HadoopFsReceiverComponent extends ConfiguredComponent<ReceiverSettings> {

    private static final Logger LOG = LoggerFactory.getLogger(HadoopFsReceiverComponent.class);

    public HadoopFsReceiverComponent() {
        super(new Configured<>(ReceiverConfig.PID, ReceiverConfig.class, ReceiverSettings::parse, LOG::error, LOG::warn));
    }

    @Override
    protected AutoCloseable start(ReceiverSettings settings) {
        HadoopFsReceiver started = HadoopFsReceiver.start(settings);
        List<AutoCloseable> registrations = new ArrayList<>();
        for (String service : settings.services()) {
            registrations.add(register(DelegationTokenReceiver.class, started.forService(service), null));
        }
        return () -> {
            for (AutoCloseable registration : registrations) {
                registration.close();
            }
            started.close();
        };
    }
}
