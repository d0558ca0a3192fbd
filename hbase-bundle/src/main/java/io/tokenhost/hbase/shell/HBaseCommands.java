package io.tokenhost.hbase.shell;

import io.tokenhost.hbase.common.HBaseRelease;
import io.tokenhost.hbase.common.HBaseThread;
import org.apache.hadoop.security.UserGroupInformation;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Gogo command {@code hbase:user}: the HBase client and the Hadoop this bundle runs (its own copy,
 * beside the Hadoop bundle's: compare {@code hadoop:user}), and who Hadoop code in this bundle runs
 * as, with how many tokens (never their bytes).
 */
@Component(service = HBaseCommands.class, immediate = true, property = {
    "osgi.command.scope=hbase",
    "osgi.command.function=user"
})
public class HBaseCommands {

    private final HBaseThread hbase = new HBaseThread("hbase-commands");

    @Activate
    void activate() {
        HBaseRelease.preload();
    }

    @Deactivate
    void deactivate() throws Exception {
        try {
            hbase.run(HBaseRelease::release);
        } finally {
            hbase.close();
        }
    }

    /** {@code hbase:user}: versions, the current Hadoop user, its Kerberos state and token count. */
    public String user() throws Exception {
        return hbase.call(() -> {
            UserGroupInformation user = UserGroupInformation.getCurrentUser();
            return "user " + user.getUserName() + " (Kerberos credentials: " + user.hasKerberosCredentials() + ", "
                    + user.getCredentials().numberOfTokens() + " token(s)), authentication "
                    + user.getAuthenticationMethod() + ", " + Versions.describe();
        });
    }
}
