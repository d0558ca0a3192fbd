package io.tokenhost.hbase.provider;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.api.Configured;
import io.tokenhost.api.ConfiguredComponent;
import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.ServiceNames;
import io.tokenhost.hbase.common.HBaseConfig;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One more HBase provider per factory configuration of {@value #FACTORY_PID} (file
 * {@code conf/io.tokenhost.hbase.cluster-<name>.cfg}): the same keys as {@code io.tokenhost.hbase},
 * a login of its own, and its own service {@code hbase.<name>}, obtained, renewed, retried and
 * reported on its own. The Hadoop bundle's receiver (key {@code services}) merges them with the
 * {@code hadoopfs} tokens into one token file.
 */
@Component(configurationPid = HBaseClusterComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = HBaseConfig.class, factory = true)
public class HBaseClusterComponent extends ConfiguredComponent<HBaseClusterComponent.ClusterSettings> {

    public static final String FACTORY_PID = "io.tokenhost.hbase.cluster";

    private static final Logger LOG = LoggerFactory.getLogger(HBaseClusterComponent.class);

    /** A cluster's service name and its provider settings. */
    record ClusterSettings(String service, ProviderSettings settings) {

        static ClusterSettings parse(ConfigValues values) {
            String name = values.factoryName(FACTORY_PID).orElseThrow(() -> new ConfigurationRefusedException(
                    "service.pid", "must be a factory configuration: conf/" + FACTORY_PID + "-<name>.cfg", null));
            String service = HBaseProvider.SERVICE + "." + name;
            if (!ServiceNames.isValid(service)) {
                throw new ConfigurationRefusedException("service.pid", "the name after "
                        + FACTORY_PID + "- must make a service name hbase.<name> (" + ServiceNames.RULE + ")", name);
            }
            return new ClusterSettings(service, ProviderSettings.parse(values));
        }
    }

    public HBaseClusterComponent() {
        super(new Configured<>(FACTORY_PID, HBaseConfig.class, ClusterSettings::parse, LOG::error, LOG::warn)
                .alsoAccepting(ProviderSettings::alsoAccepted));
    }

    @Override
    protected AutoCloseable start(ClusterSettings cluster) throws Exception {
        HBaseProvider started = HBaseProvider.start(cluster.service(), cluster.settings());
        AutoCloseable registration = register(DelegationTokenProvider.class, started, null);
        return () -> {
            registration.close();
            started.close();
        };
    }
}
