package io.tokenhost.hbase;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/** The packaged bundle keeps HBase and its Hadoop private: it exports nothing, imports only what it may, and stays small. */
class BundleManifestIT {

    private static Manifest manifest() throws Exception {
        File jar = new File(System.getProperty("tokenhost.hbase.jar"));
        try (JarFile file = new JarFile(jar)) {
            return file.getManifest();
        }
    }

    @Test
    void exportsNothing() throws Exception {
        assertThat(manifest().getMainAttributes().getValue("Export-Package")).isNull();
        assertThat(manifest().getMainAttributes().getValue("Bundle-SymbolicName")).isEqualTo("io.tokenhost.hbase");
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
        File jar = new File(System.getProperty("tokenhost.hbase.jar"));
        try (JarFile file = new JarFile(jar)) {
            assertThat(file.getEntry("OSGI-INF/metatype/io.tokenhost.hbase.common.HBaseConfig.xml")).isNotNull();
        }
        assertThat(manifest().getMainAttributes().getValue("Import-Package")).doesNotContain("org.osgi.service");
    }

    @Test
    void embedsTheHBaseClientAndItsHadoopButNoServerSideJarsWithinTheSizeBudget() throws Exception {
        String classPath = manifest().getMainAttributes().getValue("Bundle-ClassPath");
        assertThat(classPath).contains("lib/hbase-client-2.6.", "lib/hadoop-common-3.4.2.jar", "lib/zookeeper-3.");
        for (String absent : new String[] {"slf4j", "log4j", "jetty", "jersey", "curator", "kerb", "bcprov", "hbase-server",
                "hadoop-hdfs", "hadoop-common-3.4.3"}) {
            assertThat(classPath).as("embedded jars").doesNotContain(absent);
        }
        long size = new File(System.getProperty("tokenhost.hbase.jar")).length();
        System.out.println("[figures] hbase bundle: " + size / 1024 / 1024 + " MB (" + size + " bytes)");
        assertThat(size).as("bundle size, budget 40 MB").isLessThanOrEqualTo(40L * 1024 * 1024);
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
