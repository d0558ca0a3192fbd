package io.tokenhost.itests.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import io.tokenhost.itests.support.SecretForms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Secrets at rest in a real installation: a secret written into a {@code conf/*.cfg} (the s3
 * bundle's {@code secret-key}) reaches no file under the installation that group or others may read
 * (ConfigAdmin's persisted copy included), a secret named by {@code secret-key.file} reaches no file
 * under the installation at all, an older installation is tightened at start, and a readable
 * {@code .cfg} holding a secret-looking key draws a warning naming it.
 */
class SecretsAtRestIT {

    private static final Await AWAIT = Await.atMost(Duration.ofSeconds(30));
    private static final String INLINE_SECRET = "CanaryInlineSecret0123456789abcdefABCDEF";
    private static final String FILE_SECRET = "CanaryFileSecret9876543210ZYXWVUzyxwvu";
    private static final String READABLE_SECRET = "CanaryReadablePassword42";

    @Test
    void secretsInConfigurationReachNoFileOthersMayReadAndFileReferencesAreNeverStored() throws Exception {
        try (Installation installation = Installation.unpack("secrets")) {
            Path home = installation.home;
            // An installation from before owner-only data/: a world-readable data/ with a readable file.
            Files.setPosixFilePermissions(home.resolve("data"), PosixFilePermissions.fromString("rwxr-xr-x"));
            Path oldFile = Files.writeString(home.resolve("data/from-an-older-host.txt"), "old");
            Files.setPosixFilePermissions(oldFile, PosixFilePermissions.fromString("rw-r--r--"));

            // The operator's files: an owner-only .cfg with the secret inline, another naming a file
            // outside the installation, and a readable one with a password (warned about).
            Path secretFile = installation.dir.resolve("secrets/s3.secret");
            Files.createDirectories(secretFile.getParent());
            Files.writeString(secretFile, FILE_SECRET + "\n");
            Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
            cfg(home, "io.tokenhost.s3-inline.cfg", "rw-------", "access-key=AKIAINLINEEXAMPLE0001\nsecret-key="
                    + INLINE_SECRET + "\nendpoint=http://127.0.0.1:9\ntimeout=2s\n");
            cfg(home, "io.tokenhost.s3-fromfile.cfg", "rw-------", "access-key=AKIAFROMFILEEXAMPLE01\nsecret-key.file="
                    + secretFile + "\nendpoint=http://127.0.0.1:9\ntimeout=2s\n");
            Path readable = cfg(home, "org.example.unused.cfg", "rw-r--r--", "password=" + READABLE_SECRET + "\n");
            try (Stream<Path> opt = Files.list(home.resolve("opt"))) {
                Path s3 = opt.filter(p -> p.getFileName().toString().startsWith("tokenhost-s3-bundle-")).findFirst()
                        .orElseThrow();
                Files.copy(s3, home.resolve("plugins/s3.jar"));
            }

            // Twice: a first start, and a warm one (bundles started from the framework's cache), where
            // the .file plugin must still be there before the s3 bundle's components get their configurations.
            for (int start = 1; start <= 2; start++) {
                Process host = installation.startHeadless();
                installation.awaitReady();
                // Both targets run (a key set without its secret is refused, so s3.fromfile running means
                // its secret-key came from the file) and fail only at the unreachable STS endpoint.
                AWAIT.until("both s3 targets tried STS", () -> {
                    String status = installation.client("token:status").stdout();
                    return status.contains("s3.inline  ") && status.contains("s3.fromfile  ")
                            && !status.contains("HANDING") && status.split("Connection refused", -1).length == 3;
                });
                String status = installation.client("token:status").stdout();
                assertThat(status).as("start " + start + ": no configuration refused").doesNotContain("Configuration ")
                        .containsPattern("s3.fromfile +FAILING .*Connection refused")
                        .containsPattern("s3.inline +FAILING .*Connection refused");
                host.destroy();
                assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(host.exitValue()).isZero();
            }

            String log = Installation.read(installation.log());
            assertThat(Installation.read(installation.hostOutput())).as("logback loaded conf/logback.xml, its converter too")
                    .doesNotContain("ERROR in ch.qos.logback");
            assertThat(log).contains(readable + " holds password and group or others may read it (rw-r--r--)")
                    .contains("made data/ and log/ owner-only: took group and other permissions off 1 directories"
                            + " and 1 files");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(oldFile))).isEqualTo("rw-------");

            List<Path> files = filesUnder(home);
            List<Path> holdingInline = new ArrayList<>();
            for (Path file : files) {
                byte[] content = Files.readAllBytes(file);
                if (containsAnyForm(content, FILE_SECRET)) {
                    throw new AssertionError("the secret named by secret-key.file is stored in " + file);
                }
                if (containsAnyForm(content, READABLE_SECRET) && !file.equals(readable)) {
                    assertThat(othersMayRead(file)).as(file + " holds the readable .cfg's password, " + modes(home, file))
                            .isFalse();
                }
                if (containsAnyForm(content, INLINE_SECRET)) {
                    holdingInline.add(home.relativize(file));
                    assertThat(othersMayRead(file)).as(file + " holds the secret, " + modes(home, file)).isFalse();
                }
            }
            // The scan is real: the inline secret is there, in the .cfg and in ConfigAdmin's copy.
            assertThat(holdingInline).contains(Path.of("conf/io.tokenhost.s3-inline.cfg"))
                    .anyMatch(p -> p.startsWith("data/felix-cache"));
            assertThat(files.stream().filter(f -> f.startsWith(home.resolve("data/felix-cache")))
                    .anyMatch(f -> read(f).contains("secret-key.file"))).as("ConfigAdmin stores the reference").isTrue();
            for (Path dir : List.of(home.resolve("data"), home.resolve("log"))) {
                assertThat(filesUnder(dir)).isNotEmpty().allSatisfy(f -> assertThat(mode(f))
                        .as(f + " " + modes(home, f)).endsWith("------"));
            }
            assertThat(mode(home.resolve("data"))).isEqualTo("rwx------");
            assertThat(mode(home.resolve("log"))).isEqualTo("rwx------");

            Root.require("reading the installation as a second user");
            {
                // As another user, for real: nothing under the installation holds either secret.
                List<String> command = new java.util.ArrayList<>(Root.asOtherUser());
                command.addAll(List.of("grep", "-rlF", "-e", INLINE_SECRET, "-e", FILE_SECRET, "-e",
                        "Tokenhost launcher script", home.toString()));
                Process grep = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String found = new String(grep.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(grep.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(found.lines().toList()).as("what user nobody can read").containsExactly(
                        home.resolve("bin/tokenhost").toString());
            }
        }
    }

    private static Path cfg(Path home, String name, String mode, String content) throws Exception {
        Path file = home.resolve("conf").resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static List<Path> filesUnder(Path dir) throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
    }

    /** Raw, hex (either case) and base64 (standard and URL-safe, at any alignment) forms of the secret. */
    private static boolean containsAnyForm(byte[] content, String secret) {
        return !SecretForms.foundIn(content, secret.getBytes(StandardCharsets.UTF_8)).isEmpty();
    }

    /** Whether the file's mode lets group or others read it (whatever its directories allow). */
    private static boolean othersMayRead(Path file) {
        String mode = mode(file);
        return mode.charAt(3) == 'r' || mode.charAt(6) == 'r';
    }

    private static String modes(Path home, Path file) {
        StringBuilder s = new StringBuilder();
        for (Path p = file; p != null && p.startsWith(home); p = p.getParent()) {
            s.append(home.relativize(p)).append('=').append(mode(p)).append(' ');
        }
        return s.toString().strip();
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
