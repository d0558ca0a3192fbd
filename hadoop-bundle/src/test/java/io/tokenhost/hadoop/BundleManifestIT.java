package io.tokenhost.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/** The packaged bundle keeps Hadoop private: it exports nothing and imports only what it may. */
class BundleManifestIT {

    private static Manifest manifest() throws Exception {
        File jar = new File(System.getProperty("tokenhost.hadoop.jar"));
        try (JarFile file = new JarFile(jar)) {
            return file.getManifest();
        }
    }

    @Test
    void exportsNothing() throws Exception {
        assertThat(manifest().getMainAttributes().getValue("Export-Package")).isNull();
        assertThat(manifest().getMainAttributes().getValue("Bundle-SymbolicName")).isEqualTo("io.tokenhost.hadoop");
    }

    @Test
    void importsOnlyTheApiSlf4jTheFrameworkAndJdkPackages() throws Exception {
        String header = manifest().getMainAttributes().getValue("Import-Package");
        List<String> imported = packages(header);
        assertThat(imported).contains("io.tokenhost.api", "org.slf4j", "org.osgi.framework");
        assertThat(imported).allSatisfy(p -> assertThat(
                p.equals("io.tokenhost.api") || p.equals("org.slf4j") || p.equals("org.osgi.framework")
                        || p.startsWith("javax.") || p.equals("org.ietf.jgss") || p.startsWith("org.w3c.dom")
                        || p.startsWith("org.xml.sax") || p.startsWith("sun.") || p.startsWith("com.sun."))
                .as("allowed import: %s", p).isTrue());
        assertThat(header).as("the configuration kit is SPI 1.2").contains("io.tokenhost.api;version=\"[1.2,2)\"");
    }

    @Test
    void declaresItsConfigurationsWithMetatypeResourcesThatNeedNoImport() throws Exception {
        File jar = new File(System.getProperty("tokenhost.hadoop.jar"));
        try (JarFile file = new JarFile(jar)) {
            assertThat(file.getEntry("OSGI-INF/metatype/io.tokenhost.hadoop.common.HadoopConfig.xml")).isNotNull();
            assertThat(file.getEntry("OSGI-INF/metatype/io.tokenhost.hadoop.receiver.ReceiverConfig.xml")).isNotNull();
        }
        assertThat(manifest().getMainAttributes().getValue("Import-Package")).doesNotContain("org.osgi.service");
    }

    @Test
    void embedsHadoopButNotSlf4jNorServerSideJars() throws Exception {
        String classPath = manifest().getMainAttributes().getValue("Bundle-ClassPath");
        assertThat(classPath).contains("lib/hadoop-common-", "lib/hadoop-hdfs-client-");
        for (String absent : new String[] {"slf4j", "jetty", "jersey", "curator", "zookeeper", "kerb", "netty", "reload4j", "log4j"}) {
            assertThat(classPath).as("embedded jars").doesNotContain(absent);
        }
    }

    /** Package names of an OSGi header, ignoring attributes and quoted commas. */
    static List<String> packages(String header) {
        List<String> names = new ArrayList<>();
        boolean quoted = false;
        StringBuilder clause = new StringBuilder();
        for (char c : (header + ",").toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                names.add(clause.toString().split(";")[0].trim());
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        return names;
    }
}
