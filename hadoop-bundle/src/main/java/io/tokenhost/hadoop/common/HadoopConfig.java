package io.tokenhost.hadoop.common;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of PID {@value #PID} and their defaults, declared once (DS names:
 * {@code proxy$_$user} is {@code proxy-user}). The {@code hadoopfs} provider reads all of them; the
 * {@code hadoop:} shell commands read the Hadoop client part. Beside these keys the PID accepts any
 * {@code hadoop.<key>} (a Hadoop setting, passed through) and Flink's
 * {@code security.kerberos.access.hadoopFileSystems} (an alias of {@code filesystems}).
 */
@ObjectClassDefinition(name = "Tokenhost Hadoop provider",
        description = "Kerberos login and Hadoop file-system delegation tokens (service hadoopfs). Any "
                + "hadoop.<key> is a Hadoop setting, e.g. hadoop.fs.defaultFS.")
public @interface HadoopConfig {

    String PID = "io.tokenhost.hadoop";

    @AttributeDefinition(required = false, description = "Kerberos principal to log in as, e.g. "
            + "tokenhost@EXAMPLE.COM.")
    String security_kerberos_login_principal() default "";

    @AttributeDefinition(required = false, description = "Keytab of that principal: keytab login, relogged in "
            + "before every obtain.")
    String security_kerberos_login_keytab() default "";

    @AttributeDefinition(required = false, description = "With a principal and no keytab: use the Kerberos ticket "
            + "cache (true or false).")
    String security_kerberos_login_use$_$ticket$_$cache() default "true";

    @AttributeDefinition(required = false, description = "Path of the ticket cache. Default: the JDK's "
            + "(KRB5CCNAME, else /tmp/krb5cc_<uid>).")
    String security_kerberos_login_ticket$_$cache() default "";

    @AttributeDefinition(required = false, description = "Directory with core-site.xml and hdfs-site.xml.")
    String hadoop_conf_dir() default "";

    @AttributeDefinition(required = false, description = "Extra file systems, comma-separated URIs such as "
            + "hdfs://nn2:8020; fs.defaultFS is always included.")
    String filesystems() default "";

    @AttributeDefinition(required = false, description = "Renewer written into the tokens. Default: the login "
            + "user's short name.")
    String renewer() default "";

    @AttributeDefinition(required = false, description = "Obtain tokens for this user through impersonation.")
    String proxy$_$user() default "";

    @AttributeDefinition(required = false, description = "A Hadoop token file whose tokens are handed out, while "
            + "fresh enough, instead of obtaining new ones.")
    String import$_$token$_$file() default "";
}
