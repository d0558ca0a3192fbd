package io.tokenhost.hbase.provider;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.hbase.common.HBaseClientSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The provider's configuration (PID {@code io.tokenhost.hbase}, keys and defaults in
 * {@link io.tokenhost.hbase.common.HBaseConfig}), checked: a refusal names the key and the rule.
 */
public record ProviderSettings(
        HBaseClientSettings client,
        Optional<String> principal,
        Optional<Path> keytab,
        boolean useTicketCache,
        Optional<String> ticketCache,
        Optional<String> proxyUser) {

    static final String PRINCIPAL = HBaseClientSettings.PRINCIPAL;
    static final String KEYTAB = HBaseClientSettings.KEYTAB;
    static final String USE_TICKET_CACHE = "security.kerberos.login.use-ticket-cache";
    static final String TICKET_CACHE = "security.kerberos.login.ticket-cache";
    static final String PROXY_USER = "proxy-user";

    /** Keys outside the declaration that the PID still accepts. */
    public static boolean alsoAccepted(String key) {
        return HBaseClientSettings.isPassThrough(key);
    }

    public static ProviderSettings parse(ConfigValues values) {
        HBaseClientSettings client = HBaseClientSettings.parse(values);
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
        return new ProviderSettings(client, principal, keytab, useTicketCache, ticketCache, userName(values, PROXY_USER));
    }

    /** Whether a Kerberos login was asked for, so that HBase security must be on. */
    boolean kerberos() {
        return client.kerberos();
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
