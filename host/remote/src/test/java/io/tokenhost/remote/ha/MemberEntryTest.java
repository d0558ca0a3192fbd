package io.tokenhost.remote.ha;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What HA managers publish and compare: a standby with other providers or another access policy
 * than its leader's must not take over (issue 15: "an HA cluster's managers must have the same
 * access.* keys"), and managers without a policy publish what they always did.
 */
class MemberEntryTest {

    private static final MemberEntry NO_POLICY = new MemberEntry(List.of("y", "x", "x"), Optional.empty());
    private static final MemberEntry ALICE = new MemberEntry(List.of("x", "y"),
            Optional.of("default deny; x -> etl-alice-*"));

    @Test
    void withoutAPolicyTheEntryIsTheServicesLineAsBefore() {
        assertThat(new String(NO_POLICY.encode(), StandardCharsets.UTF_8)).isEqualTo("x,y");
        assertThat(MemberEntry.parse("x,y".getBytes(StandardCharsets.UTF_8))).isEqualTo(NO_POLICY);
        assertThat(MemberEntry.parse(new byte[0])).isEqualTo(new MemberEntry(List.of(), Optional.empty()));
    }

    @Test
    void aPolicyRoundTrips() {
        assertThat(new String(ALICE.encode(), StandardCharsets.UTF_8)).isEqualTo("x,y\naccess default deny; x -> etl-alice-*");
        assertThat(MemberEntry.parse(ALICE.encode())).isEqualTo(ALICE);
    }

    @Test
    void equalEntriesAgree() {
        assertThat(ALICE.differenceFrom(MemberEntry.parse(ALICE.encode()), "m1:7443")).isEmpty();
        assertThat(NO_POLICY.differenceFrom(new MemberEntry(List.of("x", "y"), Optional.empty()), "m1:7443")).isEmpty();
    }

    /** Fails if a standby with another access policy could take over unnoticed. */
    @Test
    void aDifferentAccessPolicyIsNamedWithBothPolicies() {
        MemberEntry bob = new MemberEntry(List.of("x", "y"), Optional.of("default deny; x -> etl-bob-*"));
        assertThat(bob.differenceFrom(ALICE, "m1:7443")).hasValue("this manager's access policy is 'default deny;"
                + " x -> etl-bob-*' but the leader m1:7443's is 'default deny; x -> etl-alice-*': managers of one"
                + " cluster must have the same access.* keys");
        assertThat(NO_POLICY.differenceFrom(ALICE, "m1:7443")).hasValueSatisfying(why -> assertThat(why)
                .startsWith("this manager's access policy is none (no access.* keys: every service to every worker)"
                        + " but the leader m1:7443's is 'default deny; x -> etl-alice-*'"));
    }

    @Test
    void differentProvidersAreNamedFirst() {
        MemberEntry onlyX = new MemberEntry(List.of("x"), Optional.of("default allow"));
        assertThat(onlyX.differenceFrom(ALICE, "m1:7443")).hasValue("this manager provides [x] but the leader m1:7443"
                + " provides [x, y]: managers of one cluster must run the same providers");
    }
}
