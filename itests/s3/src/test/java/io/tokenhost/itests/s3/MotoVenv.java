package io.tokenhost.itests.s3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The moto server's own Python: a virtual environment under {@code target/} (system property
 * {@code tokenhost.moto.venv}) with exactly {@code moto[server]==<tokenhost.moto.version>} in it,
 * made from the {@code python3} on PATH (or {@code -Dtokenhost.python=...}) the first time and
 * reused afterwards without touching the network. The system Python's site-packages are never
 * written to nor read from (the venv is made without {@code --system-site-packages}).
 *
 * <p>Everything runs as {@code <venv>/bin/python -m ...}: the venv's scripts ({@code bin/pip})
 * carry a shebang with the venv's absolute path, which Linux cuts at 127 bytes in a deep clone.
 */
final class MotoVenv {

    /** moto 5.2.x declares {@code Requires-Python >=3.10}. */
    private static final int MIN_MINOR = 10;
    private static final String MARKER = "tokenhost-moto.txt";
    private static final long STEP_TIMEOUT_MINUTES = 15;

    private MotoVenv() {
    }

    /** The venv's interpreter with the pinned moto in it, set up first if it is not there yet. */
    static Path python() throws Exception {
        String venvProperty = System.getProperty("tokenhost.moto.venv");
        String version = System.getProperty("tokenhost.moto.version");
        if (venvProperty == null || version == null) {
            throw new IllegalStateException("tokenhost.moto.venv and tokenhost.moto.version are not set: run the s3 "
                    + "integration tests through Maven (./mvnw -B verify, or -pl itests/s3 -am verify), which sets them");
        }
        Path venv = Path.of(venvProperty).toAbsolutePath();
        Path python = venv.resolve("bin/python");
        Path marker = venv.resolve(MARKER);
        String requirement = "moto[server]==" + version;
        if (Files.isExecutable(python) && Files.isRegularFile(marker)
                && Files.readString(marker).strip().equals(requirement)) {
            return python;
        }
        long start = System.nanoTime();
        create(venv, requirement);
        Files.writeString(marker, requirement + "\n");
        System.out.printf("Set up %s in %s in %d s%n", requirement, venv, (System.nanoTime() - start) / 1_000_000_000);
        return python;
    }

    private static void create(Path venv, String requirement) throws Exception {
        String base = System.getProperty("tokenhost.python", "python3");
        String needPython = "the s3 integration tests need python3 (3." + MIN_MINOR + "+) on PATH to run a moto server: "
                + "install python3 (Debian/Ubuntu: apt-get install python3 python3-venv), or name one with "
                + "-Dtokenhost.python=/path/to/python3; the build then installs moto into " + venv + " by itself";
        Path log = venv.resolveSibling(venv.getFileName() + ".log");
        deleteVenv(venv);
        Files.createDirectories(venv.getParent());
        Files.deleteIfExists(log);
        System.out.println("Setting up " + requirement + " in " + venv + " (once; later runs reuse it), log: " + log);

        Result probe;
        try {
            probe = run(log, List.of(base, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"));
        } catch (IOException notFound) {
            throw new IllegalStateException(needPython + ". [" + notFound.getMessage() + "]");
        }
        Matcher version = Pattern.compile("3\\.(\\d+)").matcher(probe.output);
        if (probe.exit != 0 || !version.matches() || Integer.parseInt(version.group(1)) < MIN_MINOR) {
            throw new IllegalStateException(needPython + ". ['" + base + "' answered: " + probe.output + "]");
        }

        Result made = run(log, List.of(base, "-m", "venv", venv.toString()));
        if (made.exit != 0) {
            boolean noVenvModule = made.output.contains("ensurepip") || made.output.contains("No module named venv");
            throw new IllegalStateException(noVenvModule
                    ? "the s3 integration tests need python3's venv module to set up moto, and '" + base + "' has none: "
                            + "install python3-venv (Debian/Ubuntu: apt-get install python3-venv). [" + made.output + "]"
                    : "'" + base + " -m venv " + venv + "' failed (log: " + log + "): " + made.output);
        }
        String python = venv.resolve("bin/python").toString();
        Result installed = run(log, List.of(python, "-m", "pip", "install", "--disable-pip-version-check",
                "--no-input", requirement));
        if (installed.exit != 0) {
            throw new IllegalStateException("pip could not install " + requirement + " into " + venv
                    + " (it needs PyPI or a pip index configured for this machine): " + installed.output);
        }
    }

    /** Runs a command with its output appended to the log; returns its exit code and the last lines of its output. */
    private static Result run(Path log, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Nothing from the calling environment may point the venv's Python elsewhere.
        builder.environment().keySet().removeAll(List.of("PYTHONPATH", "PYTHONHOME", "PYTHONUSERBASE", "VIRTUAL_ENV",
                "PIP_USER", "PIP_TARGET", "PIP_PREFIX", "PIP_REQUIRE_VIRTUALENV"));
        Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        long start = Files.size(log);
        Process process = builder.start();
        if (!process.waitFor(STEP_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not end within " + STEP_TIMEOUT_MINUTES
                    + " min; its output is in " + log);
        }
        byte[] all = Files.readAllBytes(log);
        List<String> lines = new String(all, (int) start, all.length - (int) start, StandardCharsets.UTF_8).strip()
                .lines().toList();
        return new Result(process.exitValue(), String.join("\n", lines.subList(Math.max(0, lines.size() - 15),
                lines.size())));
    }

    /** Deletes a previous, incomplete venv; refuses to delete a directory that is not one. */
    private static void deleteVenv(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.exists(dir.resolve("pyvenv.cfg"))) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalStateException(dir + " exists and is not a Python virtual environment: "
                            + "not deleting it; point tokenhost.moto.venv elsewhere");
                }
            }
        }
        try (Stream<Path> paths = Files.walk(dir)) { // does not follow links (bin/python links to the base Python)
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private record Result(int exit, String output) {
    }
}
