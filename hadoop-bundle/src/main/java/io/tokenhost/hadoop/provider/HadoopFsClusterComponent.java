package io.tokenhost.hadoop.provider;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.Configured;
import io.tokenhost.api.ConfiguredComponent;
import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.ServiceNames;
import io.tokenhost.hadoop.common.HadoopConfig;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One more Hadoop provider per factory configuration of {@value #FACTORY_PID} (file
 * {@code conf/io.tokenhost.hadoop.cluster-<name>.cfg}): the same keys as {@code io.tokenhost.hadoop},
 * a login and file systems of its own, and its own service {@code hadoopfs.<name>}. One per
 * further cluster, so that each cluster is obtained, renewed, retried and reported on its own: a
 * cluster that is down shows FAILING under its service while the others keep renewing, and the
 * receiver (key {@code services}) merges them all into one token file.
 */
@Component(configurationPid = HadoopFsClusterComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = HadoopConfig.class, factory = true)
public class HadoopFsClusterComponent extends ConfiguredComponent<HadoopFsClusterComponent.ClusterSettings> {

    public static final String FACTORY_PID = "io.tokenhost.hadoop.cluster";

    private static final Logger LOG = LoggerFactory.getLogger(HadoopFsClusterComponent.class);

    /** A cluster's service name and its provider settings. */
    record ClusterSettings(String service, ProviderSettings settings) {

        static ClusterSettings parse(ConfigValues values) {
            String name = values.factoryName(FACTORY_PID).orElseThrow(() -> new io.tokenhost.api.ConfigurationRefusedException(
                    "service.pid", "must be a factory configuration: conf/" + FACTORY_PID + "-<name>.cfg", null));
            String service = HadoopFsProvider.SERVICE + "." + name;
            if (!ServiceNames.isValid(service)) {
                throw new io.tokenhost.api.ConfigurationRefusedException("service.pid", "the name after "
                        + FACTORY_PID + "- must make a service name hadoopfs.<name> (" + ServiceNames.RULE + ")", name);
            }
            return new ClusterSettings(service, ProviderSettings.parse(values));
        }
    }

    public HadoopFsClusterComponent() {
        super(new Configured<>(FACTORY_PID, HadoopConfig.class, ClusterSettings::parse, LOG::error, LOG::warn)
                .alsoAccepting(ProviderSettings::alsoAccepted));
    }

    @Override
    protected AutoCloseable start(ClusterSettings cluster) throws Exception {
        HadoopFsProvider started = HadoopFsProvider.start(cluster.service(), cluster.settings());
        AutoCloseable registration = register(DelegationTokenProvider.class, started, null);
        return () -> {
            registration.close();
            started.close();
        };
    }
}
