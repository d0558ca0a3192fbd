package io.tokenhost.hadoop.shell;

import io.tokenhost.api.ConfigurationProblems;
import io.tokenhost.api.Configured;
import io.tokenhost.hadoop.common.HadoopClientSettings;
import io.tokenhost.hadoop.common.HadoopConfig;
import io.tokenhost.hadoop.common.HadoopRelease;
import io.tokenhost.hadoop.common.HadoopThread;
import io.tokenhost.hadoop.common.TokenStorage;
import io.tokenhost.hadoop.provider.ProviderSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.UserGroupInformation;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gogo commands of scope {@code hadoop}: {@code hadoop:cat <uri>} prints the start of a file and
 * {@code hadoop:user} says who Hadoop code in this bundle runs as and with which tokens. Both act as
 * the bundle's current Hadoop user, the one the {@code hadoopfs} receiver adds tokens to
 * ({@code install-in-process}), never as the provider's Kerberos login: on a secure cluster a read
 * succeeds only with the distributed tokens. The Hadoop client settings are the provider's
 * ({@code io.tokenhost.hadoop}: {@code hadoop.conf.dir}, {@code hadoop.<key>}), checked by the
 * provider's rules, so that both components accept or refuse a configuration alike; immediate, so
 * that the instance holding the settings in force outlives each command (SCR disposes a delayed
 * one when unused, and the next would read a refused configuration afresh). Output carries
 * token kinds, services, owners and dates, never token bytes. Failures are thrown, so that
 * {@code bin/tokenhost client} exits non-zero.
 */
@Component(service = HadoopCommands.class, configurationPid = HadoopConfig.PID, immediate = true,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = {
            "osgi.command.scope=hadoop",
            "osgi.command.function=cat",
            "osgi.command.function=user"
        })
public class HadoopCommands {

    /** {@code hadoop:cat} prints at most this many bytes of a file. */
    static final int MAX_BYTES = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(HadoopCommands.class);

    private final HadoopThread hadoop = new HadoopThread("hadoopfs-commands");
    private final Configured<HadoopClientSettings> configured = new Configured<>(HadoopConfig.PID, HadoopConfig.class,
            values -> ProviderSettings.parse(values).client(), LOG::error, LOG::warn)
            .alsoAccepting(ProviderSettings::alsoAccepted);
    private volatile HadoopClientSettings client;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindProblems(ConfigurationProblems problems) {
        configured.reportTo(problems);
    }

    void unbindProblems(ConfigurationProblems problems) {
        configured.stopReportingTo(problems);
    }

    /** A refused configuration leaves the commands without a client until a good one arrives. */
    @Activate
    void activate(Map<String, Object> properties) {
        configured.apply(properties).ifPresent(accepted -> client = accepted);
        HadoopRelease.preload();
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configured.apply(properties).ifPresent(accepted -> client = accepted);
    }

    @Deactivate
    void deactivate() throws Exception {
        try {
            hadoop.run(HadoopRelease::release);
        } finally {
            hadoop.close();
        }
    }

    /** {@code hadoop:cat <uri>}: the first {@value #MAX_BYTES} bytes of the file, as UTF-8. */
    public String cat(String uri) throws Exception {
        return hadoop.call(() -> {
            UserGroupInformation user = UserGroupInformation.getCurrentUser();
            try {
                return user.doAs((PrivilegedExceptionAction<String>) () -> read(new Path(uri)));
            } catch (IOException | RuntimeException e) {
                throw new IOException("hadoop:cat " + uri + " as " + who(user) + " failed: "
                        + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()), null);
            }
        });
    }

    /** {@code hadoop:user}: the current Hadoop user, its Kerberos state, the bundle's Hadoop version and its tokens (no bytes). */
    public String user() throws Exception {
        return hadoop.call(() -> {
            UserGroupInformation user = UserGroupInformation.getCurrentUser();
            StringBuilder text = new StringBuilder(who(user))
                    .append(", authentication ").append(user.getAuthenticationMethod())
                    .append(", Hadoop ").append(org.apache.hadoop.util.VersionInfo.getVersion());
            for (String token : TokenStorage.describe(user.getCredentials())) {
                text.append('\n').append("  ").append(token);
            }
            return text.toString();
        });
    }

    private String read(Path path) throws IOException {
        HadoopClientSettings settings = client;
        if (settings == null) {
            throw new IOException("hadoop:cat is not available: configuration " + configured.label() + " refused: "
                    + configured.problem().orElse("not applied yet"));
        }
        Configuration conf = settings.configuration();
        try (FileSystem fs = FileSystem.newInstance(path.toUri(), conf); InputStream in = fs.open(path)) {
            byte[] buffer = new byte[MAX_BYTES + 1];
            int length = 0;
            for (int n; length < buffer.length && (n = in.read(buffer, length, buffer.length - length)) > 0;) {
                length += n;
            }
            String text = new String(buffer, 0, Math.min(length, MAX_BYTES), StandardCharsets.UTF_8);
            return length > MAX_BYTES ? text + "\n... (only the first " + MAX_BYTES + " bytes)" : text;
        }
    }

    private static String who(UserGroupInformation user) {
        int tokens = user.getCredentials().numberOfTokens();
        return "user " + user.getUserName() + " (Kerberos credentials: " + user.hasKerberosCredentials()
                + ", " + tokens + " delegation token(s))";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
