package io.tokenhost.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.remote.config.RemoteConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The bundle keeps gRPC, Netty and Guava to itself: it exports nothing and imports only what it means. */
class ManifestTest {

    @Test
    void exportsNothingAndImportsOnlyTheApiTheFrameworkSlf4jAndJdkPackages() throws Exception {
        Path manifest = Path.of("target/classes/META-INF/MANIFEST.MF");
        Attributes main;
        try (var in = Files.newInputStream(manifest)) {
            main = new Manifest(in).getMainAttributes();
        }
        assertThat(main.getValue("Bundle-SymbolicName")).isEqualTo("io.tokenhost.remote");
        assertThat(main.getValue("Export-Package")).isNull();
        assertThat(main.getValue("Bundle-ClassPath")).contains("lib/grpc-netty-shaded-", "lib/grpc-core-", "lib/guava-");
        String imports = main.getValue("Import-Package");
        assertThat(imports).contains("io.tokenhost.api;version=\"[1.2,2)\"",
                "io.tokenhost.api.distribution;version=\"[1.2,2)\"", "io.tokenhost.api.telemetry;version=\"[1.0,2)\"",
                "org.osgi.framework", "org.slf4j");
        for (String clause : imports.split(",(?=[a-z])")) {
            String pkg = clause.split(";")[0];
            boolean allowed = pkg.equals("io.tokenhost.api") || pkg.equals("io.tokenhost.api.distribution")
                    || pkg.equals("io.tokenhost.api.telemetry") || pkg.startsWith("org.osgi.framework")
                    || pkg.equals("org.slf4j") || pkg.equals("org.slf4j.spi");
            if (!allowed) {
                assertThat(pkg).as("import " + pkg)
                        .matches("(javax|sun|com\\.sun|org\\.ietf|org\\.w3c|org\\.xml)\\..*");
                assertThat(clause).as(pkg + " is optional").contains("resolution:=optional");
            }
        }
        assertThat(main.getValue("Service-Component")).contains("RemoteComponent");
    }

    @Test
    void declaresEveryConfigurationKeyForMetatypeConsumers() throws Exception {
        String metatype = Files.readString(Path.of("target/classes/OSGI-INF/metatype/io.tokenhost.remote.xml"));
        assertThat(metatype).contains("<Designate pid=\"io.tokenhost.remote\">");
        for (String key : ConfigValues.declared(RemoteConfig.class).keySet()) {
            assertThat(metatype).as(key).containsPattern("<AD id=\"" + Pattern.quote(key) + "\" [^>]*description=\"[^\"]+\"");
        }
    }
}
