package io.tokenhost.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/**
 * One version scheme for the API: the Maven artifact's version, the bundle's version and the
 * release of package {@code io.tokenhost.api} are the same, so a plugin author who depends on
 * {@code tokenhost-api-bundle:X} compiles against package version X and the host shows bundle X.
 */
class ApiVersionTest {

    @Test
    void artifactBundleAndPackageVersionAreOne() throws Exception {
        String packageVersion = packageInfoVersion();
        Manifest manifest;
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("tokenhost.api.manifest")))) {
            manifest = new Manifest(in);
        }
        String bundleVersion = manifest.getMainAttributes().getValue("Bundle-Version");

        assertThat(System.getProperty("tokenhost.api.version")).as("the artifact's version").isEqualTo(packageVersion);
        assertThat(bundleVersion).as("Bundle-Version").isEqualTo(packageVersion);
        assertThat(manifest.getMainAttributes().getValue("Export-Package"))
                .contains("io.tokenhost.api;version=\"" + packageVersion + "\"");
    }

    /** The package's @Version is retained in class files only: read it from package-info.java. */
    private static String packageInfoVersion() throws Exception {
        String source = Files.readString(Path.of("src/main/java/io/tokenhost/api/package-info.java"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("@Version\\(\"([^\"]+)\"\\)").matcher(source);
        assertThat(m.find()).as("@Version in package-info.java").isTrue();
        return m.group(1);
    }
}
