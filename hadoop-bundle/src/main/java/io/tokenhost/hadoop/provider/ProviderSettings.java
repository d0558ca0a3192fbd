package io.tokenhost.hadoop.provider;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The provider's configuration (PID {@code io.tokenhost.hadoop}), validated. Every error names
 * the key. Hadoop settings themselves ({@code hadoop.conf.dir}, {@code hadoop.<key>}) are read by
 * {@link io.tokenhost.hadoop.common.HadoopConfigs}.
 */
record ProviderSettings(
        Optional<String> principal,
        Optional<Path> keytab,
        boolean useTicketCache,
        Optional<String> ticketCache,
        List<URI> filesystems,
        Optional<String> renewer,
        Optional<String> proxyUser,
        Optional<Path> importTokenFile) {

    static final String PRINCIPAL = "security.kerberos.login.principal";
    static final String KEYTAB = "security.kerberos.login.keytab";
    static final String USE_TICKET_CACHE = "security.kerberos.login.use-ticket-cache";
    static final String TICKET_CACHE = "security.kerberos.login.ticket-cache";
    static final String FILESYSTEMS = "filesystems";
    /** Flink's name for {@link #FILESYSTEMS}, accepted when that is not set. */
    static final String FLINK_FILESYSTEMS = "security.kerberos.access.hadoopFileSystems";
    static final String RENEWER = "renewer";
    static final String PROXY_USER = "proxy-user";
    static final String IMPORT_TOKEN_FILE = "import-token-file";

    static ProviderSettings parse(Map<String, ?> properties) {
        Optional<String> principal = text(properties, PRINCIPAL);
        Optional<Path> keytab = text(properties, KEYTAB).map(Path::of);
        boolean useTicketCache = bool(properties, USE_TICKET_CACHE, true);
        if (keytab.isPresent() && principal.isEmpty()) {
            throw new IllegalArgumentException(KEYTAB + " is set but " + PRINCIPAL + " is not: a keytab login needs both");
        }
        if (principal.isPresent() && keytab.isEmpty() && !useTicketCache) {
            throw new IllegalArgumentException(PRINCIPAL + " is set without " + KEYTAB + " and "
                    + USE_TICKET_CACHE + "=false: set a keytab or allow the ticket cache");
        }
        return new ProviderSettings(principal, keytab, useTicketCache, text(properties, TICKET_CACHE),
                uris(properties), text(properties, RENEWER), text(properties, PROXY_USER),
                text(properties, IMPORT_TOKEN_FILE).map(Path::of));
    }

    /** Whether a Kerberos login was asked for, so that Hadoop security must be on. */
    boolean kerberos() {
        return keytab.isPresent() || principal.isPresent();
    }

    private static List<URI> uris(Map<String, ?> properties) {
        List<URI> uris = new ArrayList<>();
        String key = text(properties, FILESYSTEMS).isPresent() || text(properties, FLINK_FILESYSTEMS).isEmpty()
                ? FILESYSTEMS : FLINK_FILESYSTEMS;
        Optional<String> value = text(properties, key);
        if (value.isEmpty()) {
            return uris;
        }
        for (String part : value.get().split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            try {
                URI uri = new URI(item);
                if (uri.getScheme() == null) {
                    throw new IllegalArgumentException(key + ": '" + item + "' has no scheme (e.g. hdfs://namenode:8020)");
                }
                uris.add(uri);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(key + ": '" + item + "' is not a URI: " + e.getReason());
            }
        }
        return List.copyOf(uris);
    }

    private static Optional<String> text(Map<String, ?> properties, String key) {
        Object value = properties.get(key);
        if (value == null || value.toString().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.toString().trim());
    }

    private static boolean bool(Map<String, ?> properties, String key, boolean defaultValue) {
        Optional<String> value = text(properties, key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + ": '" + value.get() + "' is not true or false");
        };
    }
}
