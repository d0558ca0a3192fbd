package io.tokenhost.itests.process;

import io.tokenhost.itests.support.Installation;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NoHostIT {

    @Test
    void clientExitsTwoWithAClearMessageWhenNoHostRuns() throws Exception {
        try (Installation installation = Installation.unpack("nohost")) {
            Installation.Result r = installation.client("lb");

            assertThat(r.status()).isEqualTo(2);
            assertThat(r.stderr().strip()).isEqualTo("no tokenhost running at " + installation.home.toRealPath());
            assertThat(r.stdout()).isEmpty();
        }
    }
}
