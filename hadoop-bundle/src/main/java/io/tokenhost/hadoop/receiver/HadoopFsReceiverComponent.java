package io.tokenhost.hadoop.receiver;

import io.tokenhost.api.ConfigurationProblems;
import io.tokenhost.api.Configured;
import io.tokenhost.api.ConfiguredService;
import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.hadoop.common.Registrations;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code hadoopfs} receiver, configured by PID {@code io.tokenhost.hadoop.receiver}
 * (optional; keys in {@link ReceiverConfig}). The receiver is registered by hand so that an accepted
 * configuration replaces it as a whole (the host hands the new one the current tokens at once),
 * while a refused one leaves it running, or none at all if no configuration was ever accepted.
 */
@Component(configurationPid = ReceiverConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {}, immediate = true)
@Designate(ocd = ReceiverConfig.class)
public class HadoopFsReceiverComponent {

    private static final Logger LOG = LoggerFactory.getLogger(HadoopFsReceiverComponent.class);

    private final ConfiguredService<ReceiverSettings> receiver = new ConfiguredService<>(
            new Configured<>(ReceiverConfig.PID, ReceiverConfig.class, ReceiverSettings::parse, LOG::error, LOG::warn),
            this::start);
    private BundleContext context;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindProblems(ConfigurationProblems problems) {
        receiver.configured().reportTo(problems);
    }

    void unbindProblems(ConfigurationProblems problems) {
        receiver.configured().stopReportingTo(problems);
    }

    @Activate
    void activate(BundleContext bundleContext, Map<String, Object> properties) throws Exception {
        this.context = bundleContext;
        receiver.apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) throws Exception {
        receiver.apply(properties);
    }

    @Deactivate
    void deactivate() throws Exception {
        receiver.stop();
    }

    private AutoCloseable start(ReceiverSettings settings) {
        return Registrations.register(context, DelegationTokenReceiver.class, HadoopFsReceiver.start(settings));
    }
}
