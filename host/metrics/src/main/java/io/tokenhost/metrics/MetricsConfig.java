package io.tokenhost.metrics;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@value #PID}: the metrics and health endpoint, declared once (a DS component
 * property type; {@code tls_cert} is the key {@code tls.cert}). Every element is a {@code String}:
 * {@link MetricsSettings#parse} reads and checks them.
 */
@ObjectClassDefinition(id = MetricsConfig.PID, name = "Tokenhost metrics and health endpoint",
        description = "Prometheus metrics at /metrics, and /live and /ready, on one HTTP(S) port. Relative paths are"
                + " resolved against the installation home. See docs/metrics.md.")
public @interface MetricsConfig {

    String PID = "io.tokenhost.metrics";

    String ENABLED = "enabled";
    String HOST = "host";
    String PORT = "port";
    String TLS_CERT = "tls.cert";
    String TLS_KEY = "tls.key";
    String TLS_CA = "tls.ca";

    @AttributeDefinition(description = "true: serve the endpoint; false: no port is opened (metrics are still"
            + " counted, and the audit log is written either way)")
    String enabled() default "true";

    @AttributeDefinition(description = "The address to listen on; 0.0.0.0 for every interface")
    String host() default "127.0.0.1";

    @AttributeDefinition(description = "The port to listen on, 0 to 65535 (0: any free port, logged)")
    String port() default "9464";

    @AttributeDefinition(required = false, description = "PEM certificate (chain) to serve HTTPS with, e.g. the"
            + " remote bundle's tls.cert; empty: plain HTTP")
    String tls_cert() default "";

    @AttributeDefinition(required = false, description = "PEM PKCS#8 private key of tls.cert; refused if group or"
            + " others can read it")
    String tls_key() default "";

    @AttributeDefinition(required = false, description = "PEM CA certificate(s): when set, HTTPS clients (the"
            + " Prometheus server, probes) must present a certificate it issued; empty: no client certificate asked")
    String tls_ca() default "";
}
