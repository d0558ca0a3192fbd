package io.tokenhost.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * One version scheme for the API: the Maven artifact's version, the bundle's version and the
 * release of package {@code io.tokenhost.api} are the same, so a plugin author who depends on
 * {@code tokenhost-api-bundle:X} compiles against package version X and the host shows bundle X.
 * And the bundle's other packages are pinned to the release: a change to any of them (a new
 * package, a new version) is a new API release, so that one version never names two different jars.
 */
class ApiVersionTest {

    /** What this API release exports. A package changed: bump the release, then record it here. */
    private static final Map<String, String> RELEASE_1_4_0 = Map.of(
            "io.tokenhost.api", "1.4.0",
            "io.tokenhost.api.distribution", "1.2.0",
            "io.tokenhost.api.telemetry", "1.0.0");

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

    @Test
    void theExportedPackagesAreThoseOfThisRelease() throws Exception {
        Manifest manifest;
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("tokenhost.api.manifest")))) {
            manifest = new Manifest(in);
        }
        Map<String, String> exported = new TreeMap<>();
        // clauses are separated by commas outside quotes (uses:="a,b" has commas of its own)
        for (String clause : manifest.getMainAttributes().getValue("Export-Package").split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            Matcher version = Pattern.compile(";version=\"([^\"]+)\"").matcher(clause);
            exported.put(clause.split(";")[0].strip(), version.find() ? version.group(1) : "(none)");
        }
        assertThat(System.getProperty("tokenhost.api.version")).as("the release this test records").isEqualTo("1.4.0");
        assertThat(exported).as("a package added or its version changed: that is a new API release; bump"
                + " tokenhost.api.version, the api-bundle's version and io.tokenhost.api's @Version together, and"
                + " record the release's packages in this test").isEqualTo(RELEASE_1_4_0);
    }

    /** The package's @Version is retained in class files only: read it from package-info.java. */
    private static String packageInfoVersion() throws Exception {
        String source = Files.readString(Path.of("src/main/java/io/tokenhost/api/package-info.java"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("@Version\\(\"([^\"]+)\"\\)").matcher(source);
        assertThat(m.find()).as("@Version in package-info.java").isTrue();
        return m.group(1);
    }
}
