package io.tokenhost.remote.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration PID {@value #PID}: every key of the remote bundle, its default and its meaning,
 * declared once (a DS component property type; {@code reconnect_backoff_max} is the key {@code
 * reconnect.backoff.max}). Every element is a {@code String}: {@link RemoteSettings#from} reads
 * and checks the values with {@link io.tokenhost.api.ConfigValues}. The constants name the keys
 * for reading and for refusals.
 */
@ObjectClassDefinition(id = RemoteConfig.PID, name = "Tokenhost remote distribution",
        description = "The role of this host (standalone, manager or worker), where the manager listens or is, the"
                + " mutual-TLS files and the worker's reconnect timing. Relative paths are resolved against the"
                + " installation home. See docs/remote.md.")
public @interface RemoteConfig {

    String PID = "io.tokenhost.remote";

    String ROLE = "role";
    String LISTEN_HOST = "listen.host";
    String LISTEN_PORT = "listen.port";
    String MANAGER_ADDRESS = "manager.address";
    String WORKER_ID = "worker.id";
    String TLS_CA = "tls.ca";
    String TLS_CERT = "tls.cert";
    String TLS_KEY = "tls.key";
    String INSECURE = "insecure";
    String RECONNECT_BACKOFF = "reconnect.backoff";
    String RECONNECT_BACKOFF_MAX = "reconnect.backoff.max";
    String RECONNECT_JITTER = "reconnect.jitter";
    String KEEPALIVE = "keepalive";
    String RESTORE_WITHOUT_EXPIRY_MAX_AGE = "restore.without-expiry.max-age";
    String HA_QUORUM = "ha.zookeeper.quorum";
    String HA_CLUSTER_ID = "ha.cluster-id";
    String HA_ROOT = "ha.zookeeper.root";
    String HA_SESSION_TIMEOUT = "ha.zookeeper.session-timeout";
    String HA_CONNECTION_TIMEOUT = "ha.zookeeper.connection-timeout";
    String HA_ADVERTISED_ADDRESS = "ha.advertised-address";
    String HA_MISMATCH_GRACE = "ha.mismatch-grace";
    String ACCESS_DEFAULT = "access.default";
    String TLS_CRL = "tls.crl";
    String REVOCATION_DENY_LIST = "revocation.deny-list";

    @AttributeDefinition(description = "standalone (nothing remote), manager (pushes tokens to workers) or worker"
            + " (receives them from the manager)", options = {
                @Option(label = "standalone", value = "standalone"),
                @Option(label = "manager", value = "manager"),
                @Option(label = "worker", value = "worker")})
    String role() default "standalone";

    @AttributeDefinition(description = "Manager: the address to listen on")
    String listen_host() default "0.0.0.0";

    @AttributeDefinition(description = "Manager: the port to listen on, 0 to 65535 (0: any free port)")
    String listen_port() default "7443";

    @AttributeDefinition(required = false, description = "Worker (required): host:port of the manager; the host is"
            + " checked against the manager's certificate. With several managers (high availability): all of them,"
            + " comma-separated; the worker finds the leader")
    String manager_address() default "";

    @AttributeDefinition(required = false, description = "Worker: the id it says hello with, 1-128 of"
            + " [A-Za-z0-9._-]. With TLS it must be the subject CN of tls.cert; empty: that CN (insecure: the host"
            + " name)")
    String worker_id() default "";

    @AttributeDefinition(description = "PEM CA certificate(s): the only issuer trusted for the other side")
    String tls_ca() default "conf/tls/ca.crt";

    @AttributeDefinition(description = "PEM certificate (chain) of this node")
    String tls_cert() default "conf/tls/node.crt";

    @AttributeDefinition(description = "PEM PKCS#8 private key of this node; refused if group or others can read it")
    String tls_key() default "conf/tls/node.key";

    @AttributeDefinition(description = "true: plaintext without authentication, for tests only (a WARNING at every"
            + " start)")
    String insecure() default "false";

    @AttributeDefinition(description = "Worker: the first delay before reconnecting after losing the manager")
    String reconnect_backoff() default "1s";

    @AttributeDefinition(description = "Worker: the reconnect delay doubles up to this (at least reconnect.backoff)")
    String reconnect_backoff_max() default "30s";

    @AttributeDefinition(description = "Worker: each reconnect delay is spread by +- this fraction, 0 to 1")
    String reconnect_jitter() default "0.5";

    @AttributeDefinition(description = "Worker: HTTP/2 ping interval that notices a silently dead manager (at least"
            + " 10s: the manager refuses more frequent pings)")
    String keepalive() default "30s";

    @AttributeDefinition(description = "Worker: at start, tokens restored from data/worker/last-container that carry"
            + " no valid-until are delivered only if the file is at most this old (tokens with a valid-until are"
            + " delivered while still valid, whatever this says)")
    String restore_without$_$expiry_max$_$age() default "1h";

    @AttributeDefinition(required = false, description = "Manager, high availability: the ZooKeeper connect string"
            + " (host:port,host:port,...); set, this manager is one of several that elect a leader, which alone obtains"
            + " and pushes. Empty: no election (a single manager). See docs/ha.md")
    String ha_zookeeper_quorum() default "";

    @AttributeDefinition(description = "Manager, high availability: the managers that elect one leader share this id,"
            + " 1-128 of [A-Za-z0-9._-]")
    String ha_cluster$_$id() default "default";

    @AttributeDefinition(description = "Manager, high availability: the ZooKeeper path under which each cluster keeps"
            + " its election and epoch")
    String ha_zookeeper_root() default "/tokenhost";

    @AttributeDefinition(description = "Manager, high availability: the ZooKeeper session timeout (2 to 20 times the"
            + " server's tickTime): a dead leader is replaced about this long after it died")
    String ha_zookeeper_session$_$timeout() default "6s";

    @AttributeDefinition(description = "Manager, high availability: how long a connection attempt to ZooKeeper may"
            + " take; a leader cut off from ZooKeeper stops pushing within about two thirds of the session timeout")
    String ha_zookeeper_connection$_$timeout() default "3s";

    @AttributeDefinition(required = false, description = "Manager, high availability: host:port under which workers"
            + " reach this manager, as it appears in their manager.address; a standby names the leader by it. Empty:"
            + " listen.host:listen.port, or this host's name when listening on all addresses")
    String ha_advertised$_$address() default "";

    @AttributeDefinition(description = "Manager, high availability: how long a standby's providers or access.* keys"
            + " may differ from the leader's (plugins still starting, configuration files edited one manager after"
            + " the other) before it leaves the election with an ERROR naming both; 1s to 10m")
    String ha_mismatch$_$grace() default "20s";

    @AttributeDefinition(description = "Manager: who receives a service that has no access.<service> key of its own:"
            + " allow (every authenticated worker) or deny (no worker). access.<service>=<worker-id patterns,"
            + " comma-separated, with * and ?> names the workers that may receive one service. See docs/remote.md#scopes",
            options = {@Option(label = "allow", value = "allow"), @Option(label = "deny", value = "deny")})
    String access_default() default "allow";

    @AttributeDefinition(required = false, description = "Manager: PEM certificate revocation list(s) of the tls.ca"
            + " CA (openssl ca -gencrl); watched: a revoked worker's stream is closed and its connections refused."
            + " Empty: none")
    String tls_crl() default "";

    @AttributeDefinition(required = false, description = "Manager: a file of worker ids to refuse, one a line (#"
            + " comments); watched like tls.crl. Empty: none")
    String revocation_deny$_$list() default "";
}
