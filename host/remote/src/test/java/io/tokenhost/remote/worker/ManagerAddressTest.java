package io.tokenhost.remote.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A manager address as a standby's leader trailer or the configuration names it. */
class ManagerAddressTest {

    /**
     * Ports 0 to 65535 are accepted, 65536 and bracketed IPv6 hosts as written; anything else is
     * empty. Kills: the port bound's {@code > 65535} made {@code >= 65535}.
     */
    @Test
    void aHostAndAPortUpTo65535AreAnAddress() {
        assertThat(ManagerAddress.parse("m1.example:65535")).contains(new ManagerAddress("m1.example", 65535));
        assertThat(ManagerAddress.parse(" 10.0.0.9:0 ")).contains(new ManagerAddress("10.0.0.9", 0));
        assertThat(ManagerAddress.parse("[::1]:7443")).contains(new ManagerAddress("[::1]", 7443));
        assertThat(ManagerAddress.parse("m1.example:65536")).isEmpty();
        assertThat(ManagerAddress.parse("-")).isEmpty();
        assertThat(ManagerAddress.parse("m1.example")).isEmpty();
        assertThat(new ManagerAddress("m1.example", 7443)).hasToString("m1.example:7443");
    }
}
