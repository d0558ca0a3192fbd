package io.tokenhost.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the distribution's {@code bin/tokenhost-dev-certs} (real openssl) to make test certificates. */
public final class DevCerts {

    private static final Path SCRIPT = Path.of(System.getProperty("tokenhost.dev-certs",
            "../../distribution/src/main/dist/bin/tokenhost-dev-certs"));

    private DevCerts() {
    }

    public static Path create(Path dir, String caName, String... names) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", SCRIPT.toAbsolutePath().toString(), dir.toString()));
        command.addAll(List.of(names));
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().put("CA_NAME", caName);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("dev-certs finished").isTrue();
        assertThat(p.exitValue()).as("dev-certs exit status").isZero();
        return dir;
    }
}
