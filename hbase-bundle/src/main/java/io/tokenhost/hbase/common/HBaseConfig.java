package io.tokenhost.hbase.common;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of PID {@value #PID} (and of each factory configuration {@code io.tokenhost.hbase.cluster-<name>})
 * and their defaults, declared once (DS names: {@code proxy$_$user} is {@code proxy-user}). Beside
 * these keys the PID accepts any {@code hbase.<key>}, {@code zookeeper.<key>} and {@code hadoop.<key>}:
 * an HBase client setting, passed through as it is (HBase's own keys carry these prefixes).
 */
@ObjectClassDefinition(name = "Tokenhost HBase provider",
        description = "Kerberos login and HBase authentication tokens (service hbase). Any hbase.<key>, "
                + "zookeeper.<key> or hadoop.<key> is an HBase client setting, e.g. hbase.zookeeper.property.clientPort.")
public @interface HBaseConfig {

    String PID = "io.tokenhost.hbase";

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

    @AttributeDefinition(required = false, description = "Directory with hbase-site.xml (and core-site.xml).")
    String hbase_conf_dir() default "";

    @AttributeDefinition(required = false, description = "The cluster's ZooKeeper quorum, host[:port],... "
            + "Default: hbase-site.xml's, else localhost.")
    String hbase_zookeeper_quorum() default "";

    @AttributeDefinition(required = false, description = "Obtain tokens for this user through impersonation.")
    String proxy$_$user() default "";
}
