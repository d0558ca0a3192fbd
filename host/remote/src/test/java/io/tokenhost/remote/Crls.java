package io.tokenhost.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificate revocation lists made by real {@code openssl ca} over a CA made by {@link io.tokenhost.itests.support.DevCerts}:
 * {@link #revoke} adds a certificate to the CA's database, {@link #generate} writes a PEM CRL
 * ({@code openssl ca -gencrl}) of everything revoked so far.
 */
public final class Crls {

    private Crls() {
    }

    public static void revoke(Path caDir, String name) throws Exception {
        openssl(caDir, "-revoke", caDir.resolve(name + ".crt").toString());
    }

    /** Writes the CRL to {@code target} atomically (a temporary file renamed over it). */
    public static Path generate(Path caDir, Path target) throws Exception {
        Path tmp = Files.createTempFile(target.getParent(), ".crl", ".pem");
        openssl(caDir, "-gencrl", "-out", tmp.toString());
        return Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void openssl(Path caDir, String... args) throws Exception {
        Path config = caDir.resolve("ca.cnf");
        if (!Files.exists(config)) {
            Files.writeString(caDir.resolve("index.txt"), "");
            Files.writeString(caDir.resolve("crlnumber"), "1000\n");
            Files.writeString(config, "[ ca ]\ndefault_ca = CA_default\n[ CA_default ]\n"
                    + "database = " + caDir.resolve("index.txt") + "\n"
                    + "crlnumber = " + caDir.resolve("crlnumber") + "\n"
                    + "certificate = " + caDir.resolve("ca.crt") + "\n"
                    + "private_key = " + caDir.resolve("ca.key") + "\n"
                    + "default_md = sha256\ndefault_crl_days = 30\n");
        }
        List<String> command = new ArrayList<>(List.of("openssl", "ca", "-config", config.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("openssl finished").isTrue();
        assertThat(p.exitValue()).as("openssl ca " + String.join(" ", args) + ": " + output).isZero();
    }
}
