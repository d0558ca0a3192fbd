package io.tokenhost.hbase.provider;

import io.tokenhost.api.Configured;
import io.tokenhost.api.ConfiguredComponent;
import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.hbase.common.HBaseConfig;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code hbase} provider for configuration PID {@code io.tokenhost.hbase} (required:
 * without it there is no cluster to ask); keys in {@link HBaseConfig} and {@code docs/hbase.md}.
 * Registered by hand, as the Hadoop bundle's provider: an accepted configuration replaces it as a
 * whole, a refused one leaves it running, or none at all if none was ever accepted.
 */
@Component(configurationPid = HBaseConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = HBaseConfig.class)
public class HBaseProviderComponent extends ConfiguredComponent<ProviderSettings> {

    private static final Logger LOG = LoggerFactory.getLogger(HBaseProviderComponent.class);

    public HBaseProviderComponent() {
        super(new Configured<>(HBaseConfig.PID, HBaseConfig.class, ProviderSettings::parse, LOG::error, LOG::warn)
                .alsoAccepting(ProviderSettings::alsoAccepted));
    }

    @Override
    protected AutoCloseable start(ProviderSettings settings) throws Exception {
        HBaseProvider started = HBaseProvider.start(HBaseProvider.SERVICE, settings);
        AutoCloseable registration = register(DelegationTokenProvider.class, started, null);
        return () -> {
            registration.close();
            started.close();
        };
    }
}
