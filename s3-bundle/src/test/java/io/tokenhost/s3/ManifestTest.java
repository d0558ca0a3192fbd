package io.tokenhost.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The bundle imports only the api, slf4j, the OSGi framework and JDK packages, and exports nothing. */
class ManifestTest {

    private static Manifest manifest() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("target/classes/META-INF/MANIFEST.MF"))) {
            return new Manifest(in);
        }
    }

    @Test
    void importsOnlyApiSlf4jOsgiAndJdk() throws Exception {
        String imports = manifest().getMainAttributes().getValue("Import-Package");
        List<String> packages = Arrays.stream(imports.split(",(?=[a-z])"))
                .map(clause -> clause.split(";")[0].trim()).collect(Collectors.toList());
        assertThat(packages).contains("io.tokenhost.api", "org.slf4j", "org.osgi.framework");
        assertThat(packages).allSatisfy(p -> assertThat(p.equals("io.tokenhost.api") || p.equals("org.slf4j")
                || p.equals("org.osgi.framework") || p.startsWith("javax.") || p.startsWith("org.w3c.")
                || p.startsWith("org.xml.") || p.equals("sun.misc")).as(p).isTrue());
        assertThat(imports).doesNotContain("software.amazon").doesNotContain("org.apache")
                .doesNotContain("io.netty").doesNotContain("com.fasterxml");
        assertThat(imports).as("the configuration kit is SPI 1.2").contains("io.tokenhost.api;version=\"[1.2,2)\"");
    }

    @Test
    void declaresItsFactoryConfigurationsWithMetatypeResourcesThatNeedNoImport() throws Exception {
        for (String ocd : List.of("io.tokenhost.s3.provider.ProviderConfig", "io.tokenhost.s3.receiver.ReceiverConfig")) {
            assertThat(Path.of("target/classes/OSGI-INF/metatype/" + ocd + ".xml")).content()
                    .contains("<Designate factoryPid=");
        }
        assertThat(manifest().getMainAttributes().getValue("Import-Package")).doesNotContain("org.osgi.service");
    }

    @Test
    void exportsNothingAndEmbedsTheSdkWithOneHttpClient() throws Exception {
        var attributes = manifest().getMainAttributes();
        assertThat(attributes.getValue("Export-Package")).isNull();
        assertThat(attributes.getValue("Bundle-SymbolicName")).isEqualTo("io.tokenhost.s3");
        String classPath = attributes.getValue("Bundle-ClassPath");
        assertThat(classPath).contains("lib/sts-", "lib/url-connection-client-")
                .doesNotContain("apache-client").doesNotContain("apache5-client").doesNotContain("netty")
                .doesNotContain("slf4j");
    }
}
