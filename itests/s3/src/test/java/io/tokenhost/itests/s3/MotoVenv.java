package io.tokenhost.itests.s3;

import io.tokenhost.itests.support.PythonVenv;
import java.nio.file.Path;
import java.util.List;

/**
 * The moto server's own Python: a {@link PythonVenv} under {@code target/} (system property {@code
 * tokenhost.moto.venv}) with exactly {@code moto[server]==<tokenhost.moto.version>} in it, made once
 * from the {@code python3} on PATH (or {@code -Dtokenhost.python=...}) and reused afterwards without
 * touching the network.
 */
final class MotoVenv {

    /** moto 5.2.x declares {@code Requires-Python >=3.10}. */
    private static final int MIN_MINOR = 10;

    private MotoVenv() {
    }

    /** The venv's interpreter with the pinned moto in it, set up first if it is not there yet. */
    static Path python() throws Exception {
        String venv = System.getProperty("tokenhost.moto.venv");
        String version = System.getProperty("tokenhost.moto.version");
        if (venv == null || version == null) {
            throw new IllegalStateException("tokenhost.moto.venv and tokenhost.moto.version are not set: run the s3 "
                    + "integration tests through Maven (./mvnw -B verify, or -pl itests/s3 -am verify), which sets them");
        }
        return PythonVenv.python(Path.of(venv), List.of("moto[server]==" + version), MIN_MINOR,
                "the s3 integration tests (a moto server)");
    }
}
