package io.tokenhost.metrics;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The accepted settings of PID {@value MetricsConfig#PID}. Refused, naming the key: an unknown key
 * (a typo would otherwise leave the endpoint open where it was not meant to be), a bad port, only
 * one of {@code tls.cert} and {@code tls.key}, a TLS file that cannot be read, a key others can read.
 */
record MetricsSettings(boolean enabled, String host, int port, Optional<Tls> tls) {

    /** The PEM files of an HTTPS endpoint; {@code ca} set: clients must present a certificate it issued. */
    record Tls(Path cert, Path key, Optional<Path> ca) {
    }

    static MetricsSettings parse(ConfigValues values, Path home) throws ConfigurationRefusedException {
        List<String> unknown = values.unknownKeys(key -> key.equals(MetricsComponent.COUNTERS_TARGET));
        if (!unknown.isEmpty()) {
            throw new ConfigurationRefusedException(unknown.get(0), "is not a key of " + MetricsConfig.PID
                    + "; known keys: " + String.join(", ", ConfigValues.declared(MetricsConfig.class).keySet()), null);
        }
        boolean enabled = values.bool(MetricsConfig.ENABLED);
        String host = values.required(MetricsConfig.HOST);
        int port = values.integer(MetricsConfig.PORT, 0, 65535);
        Optional<String> cert = values.given(MetricsConfig.TLS_CERT);
        Optional<String> key = values.given(MetricsConfig.TLS_KEY);
        Optional<String> ca = values.given(MetricsConfig.TLS_CA);
        if (cert.isPresent() != key.isPresent()) {
            String missing = cert.isPresent() ? MetricsConfig.TLS_KEY : MetricsConfig.TLS_CERT;
            throw values.refused(missing, "must be set together with "
                    + (cert.isPresent() ? MetricsConfig.TLS_CERT : MetricsConfig.TLS_KEY) + " to serve HTTPS");
        }
        if (ca.isPresent() && cert.isEmpty()) {
            throw values.refused(MetricsConfig.TLS_CA, "needs tls.cert and tls.key (client certificates need HTTPS)");
        }
        Optional<Tls> tls = Optional.empty();
        if (cert.isPresent()) {
            Path certFile = readable(values, MetricsConfig.TLS_CERT, home.resolve(cert.get()));
            Path keyFile = readable(values, MetricsConfig.TLS_KEY, home.resolve(key.get()));
            if (!PemTls.ownerOnly(keyFile)) {
                throw values.refused(MetricsConfig.TLS_KEY, "the private key file must be readable by its owner only"
                        + " (chmod 600 " + keyFile + ")");
            }
            Optional<Path> caFile = ca.isPresent()
                    ? Optional.of(readable(values, MetricsConfig.TLS_CA, home.resolve(ca.get()))) : Optional.empty();
            tls = Optional.of(new Tls(certFile, keyFile, caFile));
        }
        return new MetricsSettings(enabled, host, port, tls);
    }

    private static Path readable(ConfigValues values, String key, Path file) throws ConfigurationRefusedException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw values.refused(key, "must name a readable file (" + file + " is not one)");
        }
        return file;
    }
}
