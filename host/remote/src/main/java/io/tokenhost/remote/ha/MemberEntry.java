package io.tokenhost.remote.ha;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a manager publishes under {@code <cluster>/members}: the services it provides (sorted,
 * comma-separated) and, on a second line, its access policy ({@code access <policy>}) if it has
 * {@code access.*} keys. Without them the entry is the services line alone, as before the access
 * policy existed, so managers without a policy read each other's entries as they always did.
 *
 * @param providers the services, sorted, without duplicates
 * @param accessPolicy the configured access policy as {@code AccessPolicy.describe()} shows it; empty: none
 */
record MemberEntry(List<String> providers, Optional<String> accessPolicy) {

    private static final String ACCESS = "access ";

    MemberEntry {
        providers = providers.stream().sorted().distinct().toList();
    }

    byte[] encode() {
        return (String.join(",", providers) + accessPolicy.map(p -> "\n" + ACCESS + p).orElse(""))
                .getBytes(StandardCharsets.UTF_8);
    }

    static MemberEntry parse(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String services = newline < 0 ? text : text.substring(0, newline);
        String rest = newline < 0 ? "" : text.substring(newline + 1);
        return new MemberEntry(services.isEmpty() ? List.of() : Arrays.asList(services.split(",")),
                rest.startsWith(ACCESS) ? Optional.of(rest.substring(ACCESS.length())) : Optional.empty());
    }

    /**
     * Why a standby with this entry must not take over from a leader with {@code leader}'s: they
     * provide different services, or have different access policies (a standby taking over would send
     * workers what its own policy grants). Empty if they agree.
     */
    Optional<String> differenceFrom(MemberEntry leader, String leaderAddress) {
        if (!providers.equals(leader.providers)) {
            return Optional.of("this manager provides " + providers + " but the leader " + leaderAddress + " provides "
                    + leader.providers + ": managers of one cluster must run the same providers");
        }
        if (!accessPolicy.equals(leader.accessPolicy)) {
            return Optional.of("this manager's access policy is " + shown(accessPolicy) + " but the leader "
                    + leaderAddress + "'s is " + shown(leader.accessPolicy)
                    + ": managers of one cluster must have the same access.* keys");
        }
        return Optional.empty();
    }

    private static String shown(Optional<String> policy) {
        return policy.map(p -> "'" + p + "'").orElse("none (no access.* keys: every service to every worker)");
    }
}
