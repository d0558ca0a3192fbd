package io.tokenhost.hadoop.common;

import io.tokenhost.api.ConfigValues;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.HdfsConfiguration;

/**
 * What a Hadoop client in this bundle takes from PID {@value HadoopConfig#PID}: the embedded
 * defaults, then {@code core-site.xml} and {@code hdfs-site.xml} from {@code hadoop.conf.dir}, then
 * inline {@code hadoop.<key>} entries (e.g. {@code hadoop.fs.defaultFS}), which win; and whether a
 * Kerberos login is configured, which switches Hadoop security on unless set inline.
 *
 * @param overrides the inline entries without their prefix, sorted
 */
public record HadoopClientSettings(Optional<Path> confDir, Map<String, String> overrides, boolean kerberos) {

    public static final String CONF_DIR = "hadoop.conf.dir";
    public static final String PREFIX = "hadoop.";
    public static final String PRINCIPAL = "security.kerberos.login.principal";
    public static final String KEYTAB = io.tokenhost.hadoop.support.KerberosLogin.KEYTAB_KEY;
    private static final String AUTHENTICATION = "hadoop.security.authentication";

    /** Whether a key outside the declaration is a Hadoop setting passed through. */
    public static boolean isPassThrough(String key) {
        return key.startsWith(PREFIX);
    }

    public static HadoopClientSettings parse(ConfigValues values) {
        Optional<Path> confDir = values.text(CONF_DIR).map(text -> directory(values, text));
        Map<String, String> overrides = new TreeMap<>();
        values.withPrefix(PREFIX).forEach((key, value) -> {
            if (!key.equals(CONF_DIR)) {
                overrides.put(key.substring(PREFIX.length()), value);
            }
        });
        boolean kerberos = values.text(PRINCIPAL).isPresent() || values.text(KEYTAB).isPresent();
        return new HadoopClientSettings(confDir, Map.copyOf(overrides), kerberos);
    }

    /** A new Hadoop configuration. Call with the bundle's context class loader. */
    public Configuration configuration() {
        Configuration conf = new HdfsConfiguration(true);
        conf.setClassLoader(HadoopClientSettings.class.getClassLoader());
        confDir.ifPresent(dir -> {
            for (String name : new String[] {"core-site.xml", "hdfs-site.xml"}) {
                Path file = dir.resolve(name);
                if (Files.isReadable(file)) {
                    conf.addResource(new org.apache.hadoop.fs.Path(file.toUri()));
                }
            }
        });
        overrides.forEach(conf::set);
        if (kerberos && !overrides.containsKey(AUTHENTICATION)) {
            conf.set(AUTHENTICATION, "kerberos");
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
