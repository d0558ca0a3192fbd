package io.tokenhost.remote.access;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.api.ServiceNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which workers may receive which services: the manager's {@code access.<service>=<patterns>} keys
 * (worker-id {@linkplain WorkerGlob patterns}, comma-separated) and {@code access.default}
 * ({@code allow} or {@code deny}) for every service without a key of its own. Without any
 * {@code access.*} key every worker may receive every service ({@link #ALLOW_ALL}).
 *
 * @param defaultAllow services without an {@code access.<service>} key go to every worker (true) or to none
 * @param rules the patterns of each service that has a key, by service name
 */
public record AccessPolicy(boolean defaultAllow, SortedMap<String, List<WorkerGlob>> rules) {

    public static final String PREFIX = "access.";
    public static final String DEFAULT_KEY = "access.default";
    /** No policy: every service to every (authenticated) worker. */
    public static final AccessPolicy ALLOW_ALL = new AccessPolicy(true, new TreeMap<>());
    /** Nothing to anyone (a policy was configured, but none could be put in force yet). */
    public static final AccessPolicy DENY_ALL = new AccessPolicy(false, new TreeMap<>());

    public AccessPolicy {
        TreeMap<String, List<WorkerGlob>> copy = new TreeMap<>();
        rules.forEach((service, globs) -> copy.put(service, List.copyOf(globs)));
        rules = Collections.unmodifiableSortedMap(copy);
    }

    /** Whether a key belongs to the policy ({@code access.default} or {@code access.<service>}). */
    public static boolean isAccessKey(String key) {
        return key.startsWith(PREFIX) && key.length() > PREFIX.length();
    }

    /**
     * The policy of a configuration's {@code access.*} keys.
     *
     * @throws ConfigurationRefusedException naming the first key with a bad service name or pattern
     */
    public static AccessPolicy parse(ConfigValues values) {
        boolean defaultAllow = values.oneOf(DEFAULT_KEY, Set.of("allow", "deny")).equals("allow");
        SortedMap<String, List<WorkerGlob>> rules = new TreeMap<>();
        values.withPrefix(PREFIX).forEach((key, value) -> {
            if (key.equals(DEFAULT_KEY)) {
                return;
            }
            String service = key.substring(PREFIX.length());
            if (!ServiceNames.isValid(service)) {
                throw new ConfigurationRefusedException(key, "must be access.<service> with a service name of "
                        + ServiceNames.RULE, null);
            }
            List<WorkerGlob> globs = new ArrayList<>();
            for (String one : value.split(",", -1)) {
                try {
                    globs.add(WorkerGlob.parse(one.trim()));
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationRefusedException(key, "must be worker-id patterns, comma-separated: "
                            + e.getMessage(), null);
                }
            }
            rules.put(service, globs);
        });
        return new AccessPolicy(defaultAllow, rules);
    }

    /** Whether any {@code access.*} key says anything (false: every service to every worker). */
    public boolean configured() {
        return !defaultAllow || !rules.isEmpty();
    }

    public boolean allows(String workerId, String service) {
        List<WorkerGlob> globs = rules.get(service);
        if (globs == null) {
            return defaultAllow;
        }
        return globs.stream().anyMatch(g -> g.matches(workerId));
    }

    /** Those of {@code services} that {@code workerId} may receive. */
    public SortedSet<String> granted(String workerId, Collection<String> services) {
        return services.stream().filter(s -> allows(workerId, s)).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The keys that name a service not in {@code known}, with the service: such a rule grants
     * nothing, and a typo in it would leave the intended service to {@code access.default}.
     */
    public List<String> unknownServiceKeys(Set<String> known) {
        return rules.keySet().stream().filter(s -> !known.contains(s)).map(s -> PREFIX + s).toList();
    }

    /** One line for the log: {@code access.default} and every rule. */
    public String describe() {
        if (!configured()) {
            return "none (every service to every worker)";
        }
        String shown = rules.entrySet().stream()
                .map(e -> e.getKey() + " -> " + e.getValue().stream().map(WorkerGlob::text).collect(Collectors.joining(",")))
                .collect(Collectors.joining("; "));
        return "default " + (defaultAllow ? "allow" : "deny") + (shown.isEmpty() ? "" : "; " + shown);
    }
}
