package io.tokenhost.host.plugins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Groups the packages an unresolved bundle misses by their prefix, so that a bundle embedding
 * Kotlin without its standard library reads {@code kotlin.* (18)} rather than eighteen filters.
 * The prefix is a package's first name, or its first two for reverse-domain names
 * ({@code org.bouncycastle}, {@code com.android}, {@code javax.annotation}); a prefix with one
 * missing package shows that package's full requirement.
 */
final class MissingPackages {

    private static final Pattern PACKAGE = Pattern.compile("osgi\\.wiring\\.package=([^)\\s]+)\\)");
    /** First names of reverse-domain packages, grouped by their first two names instead. */
    private static final Set<String> DOMAINS = Set.of("org", "com", "net", "io", "de", "uk", "edu", "gov",
            "javax", "jakarta", "ch", "fr", "nl", "me", "dev", "co", "ai", "app");

    private MissingPackages() {
    }

    /**
     * @param filters the filter of each missing {@code osgi.wiring.package} requirement
     * @return one entry per prefix: {@code kotlin.* (18)}, or the single package's filter
     */
    static List<String> group(List<String> filters) {
        Map<String, List<String>> byPrefix = new TreeMap<>();
        for (String filter : filters) {
            byPrefix.computeIfAbsent(prefix(packageOf(filter)), p -> new ArrayList<>()).add(filter);
        }
        List<String> grouped = new ArrayList<>();
        byPrefix.forEach((prefix, members) -> grouped.add(members.size() == 1 ? members.get(0)
                : prefix + ".* (" + members.size() + ")"));
        return grouped;
    }

    /** The package a requirement filter names, or the filter itself if it names none. */
    static String packageOf(String filter) {
        Matcher matcher = PACKAGE.matcher(filter);
        return matcher.find() ? matcher.group(1) : filter;
    }

    static String prefix(String packageName) {
        String[] names = packageName.split("\\.");
        if (names.length >= 2 && DOMAINS.contains(names[0])) {
            return names[0] + "." + names[1];
        }
        return names[0];
    }
}
