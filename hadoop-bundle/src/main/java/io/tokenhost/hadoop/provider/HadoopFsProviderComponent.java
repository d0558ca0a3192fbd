package io.tokenhost.hadoop.provider;

import io.tokenhost.api.Configured;
import io.tokenhost.api.ConfiguredComponent;
import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.hadoop.common.HadoopConfig;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code hadoopfs} provider for configuration PID {@code io.tokenhost.hadoop} (required:
 * without it there is nothing to log in as); keys in {@link HadoopConfig} and {@code docs/hadoop.md}.
 * The provider is registered by hand so that an accepted configuration replaces it as a whole (the
 * old one logs out and leaves, the host obtains with the new one at once), while a refused one
 * leaves it running, or none at all if no configuration was ever accepted.
 */
@Component(configurationPid = HadoopConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = HadoopConfig.class)
public class HadoopFsProviderComponent extends ConfiguredComponent<ProviderSettings> {

    private static final Logger LOG = LoggerFactory.getLogger(HadoopFsProviderComponent.class);

    public HadoopFsProviderComponent() {
        super(new Configured<>(HadoopConfig.PID, HadoopConfig.class, ProviderSettings::parse, LOG::error, LOG::warn)
                    .alsoAccepting(ProviderSettings::alsoAccepted));
    }

    @Override
    protected AutoCloseable start(ProviderSettings settings) throws Exception {
        HadoopFsProvider started = HadoopFsProvider.start(HadoopFsProvider.SERVICE, settings);
        AutoCloseable registration = register(DelegationTokenProvider.class, started, null);
        return () -> {
            registration.close();
            started.close();
        };
    }
}
