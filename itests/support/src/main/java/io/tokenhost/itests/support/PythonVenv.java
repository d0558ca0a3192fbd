package io.tokenhost.itests.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Python virtual environment under {@code target/} holding exactly the pinned requirements a test
 * needs (e.g. {@code prometheus_client==0.26.0}), made from the {@code python3} on PATH (or {@code
 * -Dtokenhost.python=...}) the first time and reused afterwards without touching the network. The
 * system Python's site-packages are never written to nor read from. Everything runs as {@code
 * <venv>/bin/python -m ...}: the venv's scripts carry a shebang with its absolute path, which Linux
 * cuts at 127 bytes in a deep clone. The one way the build makes a Python environment: itests/s3's
 * moto server and itests/process's {@code prometheus_client} parser both come from here.
 */
public final class PythonVenv {

    private static final String MARKER = "tokenhost-requirements.txt";
    private static final long STEP_TIMEOUT_MINUTES = 15;

    private PythonVenv() {
    }

    /**
     * The venv's interpreter with {@code requirements} installed, set up first if it is not there yet
     * (or if it was made for other requirements: it is then made again).
     *
     * @param minMinor the lowest Python 3 minor version the requirements support
     * @param purpose what needs it, the subject of the message when python3 or its venv module is
     *     missing (e.g. "the s3 integration tests")
     */
    public static Path python(Path venv, List<String> requirements, int minMinor, String purpose) throws Exception {
        venv = venv.toAbsolutePath();
        Path python = venv.resolve("bin/python");
        Path marker = venv.resolve(MARKER);
        String wanted = String.join("\n", requirements);
        if (Files.isExecutable(python) && Files.isRegularFile(marker) && Files.readString(marker).strip().equals(wanted)) {
            return python;
        }
        long start = System.nanoTime();
        create(venv, requirements, minMinor, purpose);
        Files.writeString(marker, wanted + "\n");
        System.out.printf("Set up %s in %s in %d s%n", requirements, venv, (System.nanoTime() - start) / 1_000_000_000);
        return python;
    }

    private static void create(Path venv, List<String> requirements, int minMinor, String purpose) throws Exception {
        String base = System.getProperty("tokenhost.python", "python3");
        String needPython = purpose + " need python3 (3." + minMinor + "+) on PATH: install python3 (Debian/Ubuntu:"
                + " apt-get install python3 python3-venv), or name one with -Dtokenhost.python=/path/to/python3; the build"
                + " then installs " + requirements + " into " + venv + " by itself";
        Path log = venv.resolveSibling(venv.getFileName() + ".log");
        deleteVenv(venv);
        Files.createDirectories(venv.getParent());
        Files.deleteIfExists(log);
        System.out.println("Setting up " + requirements + " in " + venv + " (once; later runs reuse it), log: " + log);
        Result probe;
        try {
            probe = run(log, List.of(base, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"));
        } catch (IOException notFound) {
            throw new IllegalStateException(needPython + ". [" + notFound.getMessage() + "]");
        }
        Matcher version = Pattern.compile("3\\.(\\d+)").matcher(probe.output);
        if (probe.exit != 0 || !version.matches() || Integer.parseInt(version.group(1)) < minMinor) {
            throw new IllegalStateException(needPython + ". ['" + base + "' answered: " + probe.output + "]");
        }
        Result made = run(log, List.of(base, "-m", "venv", venv.toString()));
        if (made.exit != 0) {
            boolean noVenvModule = made.output.contains("ensurepip") || made.output.contains("No module named venv");
            throw new IllegalStateException(noVenvModule
                    ? purpose + " need python3's venv module, and '" + base + "' has none: install python3-venv"
                            + " (Debian/Ubuntu: apt-get install python3-venv). [" + made.output + "]"
                    : "'" + base + " -m venv " + venv + "' failed (log: " + log + "): " + made.output);
        }
        List<String> install = new ArrayList<>(List.of(venv.resolve("bin/python").toString(), "-m", "pip", "install",
                "--disable-pip-version-check", "--no-input"));
        install.addAll(requirements);
        Result installed = run(log, install);
        if (installed.exit != 0) {
            throw new IllegalStateException("pip could not install " + requirements + " into " + venv
                    + " (it needs PyPI or a pip index configured for this machine): " + installed.output);
        }
    }

    /** Runs a command with the venv's Python; its exit code and output (stdout and stderr). */
    public static Result run(Path python, List<String> arguments, String input) throws Exception {
        List<String> command = new ArrayList<>(List.of(python.toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        cleanEnvironment(builder);
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not end within 60 s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static void cleanEnvironment(ProcessBuilder builder) {
        // Nothing from the calling environment may point the venv's Python elsewhere.
        builder.environment().keySet().removeAll(List.of("PYTHONPATH", "PYTHONHOME", "PYTHONUSERBASE", "VIRTUAL_ENV",
                "PIP_USER", "PIP_TARGET", "PIP_PREFIX", "PIP_REQUIRE_VIRTUALENV"));
    }

    private static Result run(Path log, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        cleanEnvironment(builder);
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

    private static void deleteVenv(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.exists(dir.resolve("pyvenv.cfg"))) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalStateException(dir + " exists and is not a Python virtual environment: not deleting"
                            + " it; point the test's venv property elsewhere");
                }
            }
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** A command's exit code and output. */
    public record Result(int exit, String output) {
    }
}
