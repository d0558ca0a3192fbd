package io.tokenhost.sandbox.hbase;

import io.tokenhost.itests.support.Installation;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration of an unpacked distribution for a {@link SecureHBase}: the Hadoop bundle and
 * the HBase bundle in {@code plugins/}, both providers logging in as {@code client} from its keytab,
 * the Hadoop receiver merging {@code hadoopfs} and {@code hbase} into one token file.
 */
public final class HostSetup {

    private HostSetup() {
    }

    /** Writes the configurations, drops both bundles from {@code artifacts}, sets the JVM options. */
    public static void configure(Installation host, SecureHBase cluster, Path tokenFile, Path artifacts,
            Map<String, String> managerKeys) throws Exception {
        host.writeConfig("io.tokenhost.hadoop.receiver", Map.of("token-file", tokenFile.toString(),
                "services", "hadoopfs,hbase"));
        host.writeConfig("io.tokenhost.manager", managerKeys);
        host.writeConfig("io.tokenhost.hadoop", Map.of(
                "security.kerberos.login.principal", cluster.clientPrincipal(),
                "security.kerberos.login.keytab", cluster.clientKeytab().toString(),
                "hadoop.conf.dir", cluster.clientConfDir().toString()));
        host.writeConfig("io.tokenhost.hbase", hbaseConfig(cluster, Map.of()));
        host.dropPlugin(artifacts.resolve("tokenhost-hadoop-bundle.jar"), "tokenhost-hadoop-bundle.jar");
        host.dropPlugin(artifacts.resolve("tokenhost-hbase-bundle.jar"), "tokenhost-hbase-bundle.jar");
        host.javaOpt("-Djava.security.krb5.conf=" + cluster.krb5Conf());
        host.javaOpt("--add-opens=java.base/java.lang=ALL-UNNAMED");
    }

    /** The hbase provider's keytab login and the cluster's settings (ZooKeeper through the switch), plus extra entries. */
    public static Map<String, String> hbaseConfig(SecureHBase cluster, Map<String, String> extra) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("security.kerberos.login.principal", cluster.clientPrincipal());
        config.put("security.kerberos.login.keytab", cluster.clientKeytab().toString());
        config.putAll(cluster.hbaseClientKeys(cluster.zooKeeperSwitchPort()));
        config.putAll(extra);
        return config;
    }
}
