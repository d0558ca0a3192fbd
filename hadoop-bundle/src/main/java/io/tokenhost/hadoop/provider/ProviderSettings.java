package io.tokenhost.hadoop.provider;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.hadoop.common.HadoopClientSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The provider's configuration (PID {@code io.tokenhost.hadoop}, keys and defaults in
 * {@link io.tokenhost.hadoop.common.HadoopConfig}), checked: a refusal names the key and the rule.
 */
public record ProviderSettings(
        HadoopClientSettings client,
        Optional<String> principal,
        Optional<Path> keytab,
        boolean useTicketCache,
        Optional<String> ticketCache,
        List<URI> filesystems,
        Optional<String> renewer,
        Optional<String> proxyUser,
        Optional<Path> importTokenFile) {

    static final String PRINCIPAL = HadoopClientSettings.PRINCIPAL;
    static final String KEYTAB = HadoopClientSettings.KEYTAB;
    static final String USE_TICKET_CACHE = "security.kerberos.login.use-ticket-cache";
    static final String TICKET_CACHE = "security.kerberos.login.ticket-cache";
    static final String FILESYSTEMS = "filesystems";
    /** Flink's name for {@link #FILESYSTEMS}, accepted when that is not set. */
    static final String FLINK_FILESYSTEMS = "security.kerberos.access.hadoopFileSystems";
    static final String RENEWER = "renewer";
    static final String PROXY_USER = "proxy-user";
    static final String IMPORT_TOKEN_FILE = "import-token-file";

    /** Keys outside the declaration that the PID still accepts. */
    public static boolean alsoAccepted(String key) {
        return HadoopClientSettings.isPassThrough(key) || key.equals(FLINK_FILESYSTEMS);
    }

    public static ProviderSettings parse(ConfigValues values) {
        HadoopClientSettings client = HadoopClientSettings.parse(values);
        Optional<String> principal = userName(values, PRINCIPAL);
        Optional<Path> keytab = path(values, KEYTAB);
        boolean useTicketCache = values.bool(USE_TICKET_CACHE);
        if (keytab.isPresent() && principal.isEmpty()) {
            throw new ConfigurationRefusedException(PRINCIPAL, "must be set when " + KEYTAB
                    + " is: a keytab login needs both", null);
        }
        if (principal.isPresent() && keytab.isEmpty() && !useTicketCache) {
            throw new ConfigurationRefusedException(KEYTAB, "must be set when " + USE_TICKET_CACHE
                    + " is false: set a keytab or allow the ticket cache", null);
        }
        Optional<String> ticketCache = path(values, TICKET_CACHE).map(Path::toString);
        return new ProviderSettings(client, principal, keytab, useTicketCache, ticketCache, filesystems(values),
                userName(values, RENEWER), userName(values, PROXY_USER), path(values, IMPORT_TOKEN_FILE));
    }

    /** Whether a Kerberos login was asked for, so that Hadoop security must be on. */
    boolean kerberos() {
        return client.kerberos();
    }

    private static List<URI> filesystems(ConfigValues values) {
        String key = FILESYSTEMS;
        Optional<String> text = values.text(FILESYSTEMS);
        if (text.isEmpty()) {
            key = FLINK_FILESYSTEMS;
            text = values.given(FLINK_FILESYSTEMS);
        }
        List<URI> uris = new ArrayList<>();
        for (String part : text.orElse("").split(",")) {
            String item = part.trim();
            if (!item.isEmpty()) {
                uris.add(uri(key, item));
            }
        }
        return List.copyOf(uris);
    }

    private static URI uri(String key, String item) {
        try {
            URI uri = new URI(item);
            if (uri.getScheme() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        // the offending item is shown, not the whole list (and the key may be the undeclared alias)
        throw new ConfigurationRefusedException(key, "must be comma-separated URIs with a scheme, such as "
                + "hdfs://namenode:8020", item);
    }

    private static Optional<String> userName(ConfigValues values, String key) {
        Optional<String> name = values.text(key);
        if (name.isPresent() && !name.get().matches("[^\\s\\p{Cntrl}]+")) {
            throw values.refused(key, "must be a user or principal name, without spaces");
        }
        return name;
    }

    private static Optional<Path> path(ConfigValues values, String key) {
        try {
            return values.text(key).map(Path::of);
        } catch (InvalidPathException e) {
            throw values.refused(key, "must be a file path");
        }
    }
}
