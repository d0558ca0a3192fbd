package io.tokenhost.hadoop.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.hadoop.security.UserGroupInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider's Kerberos identity: a keytab login kept fresh with
 * {@code checkTGTAndReloginFromKeytab} before every use, or the ticket cache read anew each time
 * (someone else, e.g. {@code kinit -R}, keeps that fresh). Without either, the process's current
 * Hadoop user. Errors name the principal and keytab, never a password.
 */
public final class KerberosLogin {

    /** The configuration key of the keytab, which errors about it name (Flink's name). */
    public static final String KEYTAB_KEY = "security.kerberos.login.keytab";

    private static final Logger LOG = LoggerFactory.getLogger(KerberosLogin.class);

    private final Optional<String> principal;
    private final Optional<Path> keytab;
    private final Optional<String> ticketCache;
    private UserGroupInformation keytabUser;

    /** A keytab needs its principal; a principal alone (or a cache alone) means the ticket cache. */
    public KerberosLogin(Optional<String> principal, Optional<Path> keytab, Optional<String> ticketCache) {
        this.principal = principal;
        this.keytab = keytab;
        this.ticketCache = ticketCache;
    }

    /** The logged-in user, relogged in if its ticket is near expiry. */
    public synchronized UserGroupInformation user() throws IOException {
        if (keytab.isPresent()) {
            return fromKeytab(principal.orElseThrow(), keytab.get().toString());
        }
        if (principal.isPresent() || ticketCache.isPresent()) {
            return fromTicketCache(ticketCache, principal);
        }
        return UserGroupInformation.getCurrentUser();
    }

    private UserGroupInformation fromKeytab(String principal, String keytab) throws IOException {
        if (keytabUser == null) {
            if (!Files.isReadable(Path.of(keytab))) {
                throw new IOException(KEYTAB_KEY + ": keytab " + keytab + " does not exist or is not readable");
            }
            try {
                keytabUser = UserGroupInformation.loginUserFromKeytabAndReturnUGI(principal, keytab);
            } catch (IOException e) {
                throw new IOException("Kerberos login failed for principal " + principal + " with keytab "
                        + keytab + ": " + rootMessage(e), null);
            }
            LOG.info("Kerberos login as {} from keytab {}", principal, keytab);
        } else {
            try {
                keytabUser.checkTGTAndReloginFromKeytab();
            } catch (IOException e) {
                throw new IOException("Kerberos relogin failed for principal " + principal + " with keytab "
                        + keytab + ": " + rootMessage(e), null);
            }
        }
        return keytabUser;
    }

    private static UserGroupInformation fromTicketCache(Optional<String> cache, Optional<String> principal) throws IOException {
        try {
            return UserGroupInformation.getUGIFromTicketCache(cache.orElse(null), principal.orElse(null));
        } catch (IOException e) {
            throw new IOException("Kerberos login from the ticket cache " + cache.orElse("(default)")
                    + principal.map(p -> " for principal " + p).orElse("") + " failed: " + rootMessage(e), null);
        }
    }

    /** Drops the login so that the next use logs in again (after a configuration change). */
    public synchronized void logout() {
        if (keytabUser != null) {
            try {
                keytabUser.logoutUserFromKeytab();
            } catch (IOException | RuntimeException e) {
                LOG.debug("Kerberos logout failed: {}", e.toString());
            }
            keytabUser = null;
        }
    }

    /** The messages of an exception and its causes, each once: Hadoop wraps its errors deeply. */
    public static String rootMessage(Throwable e) {
        Throwable cause = e;
        StringBuilder text = new StringBuilder();
        while (cause != null) {
            if (cause.getMessage() != null && text.indexOf(cause.getMessage()) < 0) {
                if (text.length() > 0) {
                    text.append(": ");
                }
                text.append(cause.getMessage());
            }
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        return text.length() == 0 ? e.getClass().getSimpleName() : text.toString();
    }
}
