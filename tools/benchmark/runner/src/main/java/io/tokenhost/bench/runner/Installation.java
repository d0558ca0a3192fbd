package io.tokenhost.bench.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A private copy of the assembled distribution, and the processes started from it. */
final class Installation {

    private final Path home;

    private Installation(Path home) {
        this.home = home;
    }

    static Installation copyOf(Path distribution) throws IOException {
        if (!Files.isExecutable(distribution.resolve("bin/tokenhost"))) {
            throw new IllegalArgumentException(distribution + " is not an assembled distribution; run"
                    + " ./mvnw -B -q install -DskipTests first");
        }
        Path home = Files.createTempDirectory("tokenhost-bench-");
        try (Stream<Path> files = Files.walk(distribution)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = home.resolve(distribution.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return new Installation(home);
    }

    Path home() {
        return home;
    }

    Path plugins() {
        return home.resolve("plugins");
    }

    void writeConfig(String name, String content) throws IOException {
        Files.writeString(home.resolve("conf").resolve(name), content, StandardCharsets.UTF_8);
    }

    HostProcess startHeadless() throws IOException {
        Process process = new ProcessBuilder(home.resolve("bin/tokenhost").toString(), "--headless")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("log/console.out").toFile()))
                .start();
        return new HostProcess(process);
    }

    /** Runs {@code bin/tokenhost client ...}; returns its output, or throws with it if it failed. */
    String client(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(home.resolve("bin/tokenhost").toString(), "client"));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("client " + String.join(" ", command) + " failed: " + output.strip());
        }
        return output;
    }
}
