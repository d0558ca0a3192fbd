package io.tokenhost.hbase.common;

import io.tokenhost.api.ConfigValues;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;

/**
 * What the HBase client in this bundle takes from PID {@value HBaseConfig#PID}: the embedded
 * defaults, then the bundle's own client defaults ({@link #CLIENT_DEFAULTS}: short retries, so that
 * a cluster that is down fails an obtain within the host's obtain timeout, and the blocking RPC
 * client, whose threads end with the connection), then {@code hbase-site.xml} and
 * {@code core-site.xml} from {@code hbase.conf.dir}, then inline {@code hbase.*},
 * {@code zookeeper.*} and {@code hadoop.*} entries, passed as they are, which win. A Kerberos login
 * switches HBase and Hadoop security on unless they are set inline.
 *
 * @param overrides the inline entries, sorted
 */
public record HBaseClientSettings(Optional<Path> confDir, Map<String, String> overrides, boolean kerberos) {

    public static final String CONF_DIR = "hbase.conf.dir";
    public static final String QUORUM = "hbase.zookeeper.quorum";
    public static final String PRINCIPAL = "security.kerberos.login.principal";
    public static final String KEYTAB = "security.kerberos.login.keytab";
    private static final String[] PREFIXES = {"hbase.", "zookeeper.", "hadoop."};
    private static final String HBASE_AUTHENTICATION = "hbase.security.authentication";
    private static final String HADOOP_AUTHENTICATION = "hadoop.security.authentication";

    /**
     * The bundle's defaults below anything configured: an obtain tries a few times within about 20 s
     * instead of HBase's minutes, and uses one thread per connection that ends when it closes (the
     * Netty client's static event loop would outlive a bundle update and pin its class loader).
     */
    public static final Map<String, String> CLIENT_DEFAULTS = Map.of(
            "hbase.client.retries.number", "3",
            "hbase.client.pause", "500",
            "hbase.rpc.timeout", "10000",
            "hbase.client.operation.timeout", "20000",
            "hbase.client.meta.operation.timeout", "20000",
            "zookeeper.recovery.retry", "1",
            "zookeeper.session.timeout", "10000",
            "hbase.rpc.client.impl", "org.apache.hadoop.hbase.ipc.BlockingRpcClient");

    /** Whether a key outside the declaration is an HBase client setting passed through. */
    public static boolean isPassThrough(String key) {
        for (String prefix : PREFIXES) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    public static HBaseClientSettings parse(ConfigValues values) {
        Optional<Path> confDir = values.text(CONF_DIR).map(text -> directory(values, text));
        Map<String, String> overrides = new TreeMap<>();
        for (String prefix : PREFIXES) {
            values.withPrefix(prefix).forEach((key, value) -> {
                if (!key.equals(CONF_DIR) && !value.isEmpty()) {
                    overrides.put(key, value);
                }
            });
        }
        boolean kerberos = values.text(PRINCIPAL).isPresent() || values.text(KEYTAB).isPresent();
        return new HBaseClientSettings(confDir, java.util.Collections.unmodifiableMap(overrides), kerberos);
    }

    /** A new HBase client configuration. Call with the bundle's context class loader. */
    public Configuration configuration() {
        Configuration conf = HBaseConfiguration.create();
        conf.setClassLoader(HBaseClientSettings.class.getClassLoader());
        // a resource, not set(): set() values would win over the files added after them
        Configuration defaults = new Configuration(false);
        CLIENT_DEFAULTS.forEach(defaults::set);
        conf.addResource(defaults);
        confDir.ifPresent(dir -> {
            for (String name : new String[] {"core-site.xml", "hbase-site.xml"}) {
                Path file = dir.resolve(name);
                if (Files.isReadable(file)) {
                    conf.addResource(new org.apache.hadoop.fs.Path(file.toUri()));
                }
            }
        });
        overrides.forEach(conf::set);
        if (kerberos) {
            if (!overrides.containsKey(HBASE_AUTHENTICATION)) {
                conf.set(HBASE_AUTHENTICATION, "kerberos");
            }
            if (!overrides.containsKey(HADOOP_AUTHENTICATION)) {
                conf.set(HADOOP_AUTHENTICATION, "kerberos");
            }
        }
        return conf;
    }

    private static Path directory(ConfigValues values, String text) {
        try {
            Path dir = Path.of(text);
            if (Files.isDirectory(dir)) {
                return dir;
            }
        } catch (InvalidPathException e) {
            // refused below
        }
        throw values.refused(CONF_DIR, "must be an existing directory");
    }
}
