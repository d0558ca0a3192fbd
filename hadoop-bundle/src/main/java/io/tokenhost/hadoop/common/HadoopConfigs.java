package io.tokenhost.hadoop.common;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.HdfsConfiguration;

/**
 * Builds a Hadoop {@link Configuration}: the embedded defaults, then {@code core-site.xml} and
 * {@code hdfs-site.xml} from {@code hadoop.conf.dir}, then inline {@code hadoop.<key>} entries
 * (e.g. {@code hadoop.fs.defaultFS}), which win. Call with the bundle's context class loader.
 */
public final class HadoopConfigs {

    public static final String CONF_DIR = "hadoop.conf.dir";
    public static final String PREFIX = "hadoop.";

    private HadoopConfigs() {
    }

    public static Configuration build(Map<String, ?> properties) {
        Configuration conf = new HdfsConfiguration(true);
        conf.setClassLoader(HadoopConfigs.class.getClassLoader());
        Object dir = properties.get(CONF_DIR);
        if (dir != null && !dir.toString().isBlank()) {
            Path confDir = Path.of(dir.toString().trim());
            if (!Files.isDirectory(confDir)) {
                throw new IllegalArgumentException(CONF_DIR + ": " + confDir + " is not a directory");
            }
            for (String name : new String[] {"core-site.xml", "hdfs-site.xml"}) {
                Path file = confDir.resolve(name);
                if (Files.isReadable(file)) {
                    conf.addResource(new org.apache.hadoop.fs.Path(file.toUri()));
                }
            }
        }
        inlineOverrides(properties).forEach(conf::set);
        return conf;
    }

    /** The inline {@code hadoop.<key>} entries, without the prefix, sorted. */
    public static Map<String, String> inlineOverrides(Map<String, ?> properties) {
        Map<String, String> overrides = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(PREFIX) && !key.equals(CONF_DIR) && key.length() > PREFIX.length()) {
                overrides.put(key.substring(PREFIX.length()), String.valueOf(value).trim());
            }
        });
        return overrides;
    }
}
