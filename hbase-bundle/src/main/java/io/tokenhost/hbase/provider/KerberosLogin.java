package io.tokenhost.hbase.provider;

import java.io.IOException;
import java.nio.file.Files;
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
final class KerberosLogin {

    private static final Logger LOG = LoggerFactory.getLogger(KerberosLogin.class);

    private final ProviderSettings settings;
    private UserGroupInformation keytabUser;

    KerberosLogin(ProviderSettings settings) {
        this.settings = settings;
    }

    /** The logged-in user, relogged in if its ticket is near expiry. */
    synchronized UserGroupInformation user() throws IOException {
        if (settings.keytab().isPresent()) {
            return fromKeytab(settings.principal().orElseThrow(), settings.keytab().get().toString());
        }
        if (settings.principal().isPresent() || settings.ticketCache().isPresent()) {
            return fromTicketCache(settings.ticketCache(), settings.principal());
        }
        return UserGroupInformation.getCurrentUser();
    }

    private UserGroupInformation fromKeytab(String principal, String keytab) throws IOException {
        if (keytabUser == null) {
            if (!Files.isReadable(java.nio.file.Path.of(keytab))) {
                throw new IOException(ProviderSettings.KEYTAB + ": keytab " + keytab + " does not exist or is not readable");
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
    synchronized void logout() {
        if (keytabUser != null) {
            try {
                keytabUser.logoutUserFromKeytab();
            } catch (IOException | RuntimeException e) {
                LOG.debug("Kerberos logout failed: {}", e.toString());
            }
            keytabUser = null;
        }
    }

    static String rootMessage(Throwable e) {
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
