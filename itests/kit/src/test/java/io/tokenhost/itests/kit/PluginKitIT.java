package io.tokenhost.itests.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.plugin.test.PluginTestHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin kit as a stranger uses it: {@code archetype:generate} into a folder outside this
 * repository, {@code mvn verify} there (its unit test, the bundle, its own harness test) against
 * the kit installed in a private repository, then the built jar dropped into a running
 * distribution: the provider's tokens must reach the receiver.
 */
class PluginKitIT {

    private static final String SERVICE = "kitdemo";
    private static final String PACKAGE = "org.example.kitdemo";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(8);

    private final Path workDir;

    PluginKitIT() throws IOException {
        workDir = Files.createTempDirectory("tokenhost-kit-"); // outside the reactor
    }

    @AfterEach
    void cleanUp() throws IOException {
        try (Stream<Path> files = Files.walk(workDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void aPluginGeneratedFromTheArchetypeAndBuiltOutsideServesItsTokensToItsReceiver() throws Exception {
        Path settings = writeSettings();
        String version = System.getProperty("tokenhost.kit.version");

        maven(workDir, settings, "org.apache.maven.plugins:maven-archetype-plugin:3.4.0:generate",
                "-DarchetypeGroupId=io.tokenhost", "-DarchetypeArtifactId=tokenhost-plugin-archetype",
                "-DarchetypeVersion=" + version, "-DgroupId=org.example", "-DartifactId=kitdemo-plugin",
                "-Dversion=1.0.0", "-Dpackage=" + PACKAGE, "-Dservice=" + SERVICE,
                "-DarchetypeCatalog=local"); // the archetype is resolved by its coordinates: no remote catalog
        Path project = workDir.resolve("kitdemo-plugin");
        assertThat(Files.readString(project.resolve("pom.xml"))).contains("<artifactId>tokenhost-plugin-parent</artifactId>",
                "<version>" + version + "</version>");

        String build = maven(project, settings, "verify");
        assertThat(build).contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0", "PluginIT", "BUILD SUCCESS");
        Path jar = project.resolve("target/kitdemo-plugin-1.0.0.jar");
        try (JarFile bundle = new JarFile(jar.toFile())) {
            var main = bundle.getManifest().getMainAttributes();
            assertThat(main.getValue("Bundle-SymbolicName")).isEqualTo(PACKAGE);
            assertThat(main.getValue("Bundle-ClassPath")).contains("lib/guava-33.8.0-jre.jar");
            assertThat(main.getValue("Import-Package")).contains("io.tokenhost.api").doesNotContain("com.google.common");
            assertThat(main.getValue("Export-Package")).isNull();
        }

        try (PluginTestHost host = PluginTestHost.unpack("kit")) {
            Path tokenFile = host.home().resolve("data/tokens/kit.token");
            host.writeConfig(PACKAGE + ".receiver", Map.of("file", tokenFile.toString()));
            host.start();
            host.dropPlugin(jar);

            String fingerprint = host.awaitTokens(SERVICE);
            host.awaitDelivered(SERVICE, fingerprint);
            assertThat(tokenFile).exists();
            host.assertPluginsHealthy();
            host.assertNoSecretsInLogs(Files.readAllBytes(tokenFile));
        }
    }

    /**
     * The nested build's settings: its local repository is the private one the kit was installed
     * into; what that lacks (Maven plugins) comes from this build's local repository read as a
     * remote, else from Maven Central.
     */
    private Path writeSettings() throws IOException {
        Path outer = Path.of(System.getProperty("tokenhost.outer.repo"));
        String remote = """
                <repository><id>outer-cache</id><url>%s</url>
                  <releases><enabled>true</enabled></releases><snapshots><enabled>false</enabled></snapshots></repository>
                """.formatted(outer.toUri());
        String settings = """
                <settings>
                  <localRepository>%s</localRepository>
                  <profiles><profile><id>kit</id>
                    <repositories>%s</repositories>
                    <pluginRepositories>%s</pluginRepositories>
                  </profile></profiles>
                  <activeProfiles><activeProfile>kit</activeProfile></activeProfiles>
                </settings>
                """.formatted(Path.of(System.getProperty("tokenhost.kit.repo")).toAbsolutePath(), remote,
                remote.replace("repository>", "pluginRepository>"));
        Path file = workDir.resolve("settings.xml");
        Files.writeString(file, settings);
        return file;
    }

    /** Runs the Maven that runs this build, in {@code dir}; returns its output, failing on a non-zero exit. */
    private String maven(Path dir, Path settings, String... goals) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("tokenhost.maven.home"), "bin", "mvn").toString(),
                "-B", "-nsu", "-s", settings.toString(), "-DinteractiveMode=false",
                // on the command line too: a -Dmaven.repo.local in the caller's MAVEN_OPTS (inherited by
                // this process) would otherwise win over the settings and hide the kit repository
                "-Dmaven.repo.local=" + Path.of(System.getProperty("tokenhost.kit.repo")).toAbsolutePath()));
        command.addAll(List.of(goals));
        Path log = Files.createTempFile(workDir, "maven", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // nothing of this build's Maven invocation: the nested one finds no project folder but its own
        pb.environment().remove("MAVEN_ARGS");
        pb.environment().remove("MAVEN_BASEDIR");
        long start = System.nanoTime();
        Process maven = pb.start();
        if (!maven.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            maven.descendants().forEach(ProcessHandle::destroyForcibly);
            maven.destroyForcibly();
            throw new AssertionError("mvn " + List.of(goals) + " did not finish within " + BUILD_TIMEOUT + ":\n" + tail(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.printf("mvn %s: %d s, %d artifacts from the outer repository, %d from Maven Central%n", List.of(goals),
                (System.nanoTime() - start) / 1_000_000_000L, count(output, "Downloaded from outer-cache"),
                count(output, "Downloaded from central"));
        assertThat(maven.exitValue()).as("mvn %s in %s:%n%s", List.of(goals), dir, tail(log)).isZero();
        return output;
    }

    private static long count(String text, String part) {
        return text.lines().filter(line -> line.contains(part)).count();
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }
}
