package io.tokenhost.s3.provider;

import io.tokenhost.api.ServiceNames;
import io.tokenhost.s3.config.ConfigReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The checked configuration of one s3 provider (factory PID {@code io.tokenhost.s3}). The secret
 * key is kept here only to build the STS client; {@link #toString()} never shows it nor the
 * access key id.
 */
public final class ProviderSettings {

    public static final String FACTORY_PID = "io.tokenhost.s3";
    static final Duration MIN_DURATION = Duration.ofMinutes(15);
    static final Duration MAX_SESSION_TOKEN = Duration.ofHours(36);
    static final Duration MAX_ASSUME_ROLE = Duration.ofHours(12);

    private final String serviceName;
    private final TokenKind kind;
    private final Optional<String> accessKey;
    private final Optional<String> secretKey;
    private final String region;
    private final Optional<URI> endpoint;
    private final Optional<String> roleArn;
    private final String roleSessionName;
    private final Optional<String> externalId;
    private final Optional<String> policy;
    private final Duration duration;
    private final Duration timeout;

    private ProviderSettings(ConfigReader c) {
        serviceName = serviceName(c, FACTORY_PID, "s3");
        accessKey = c.text("access-key");
        secretKey = c.text("secret-key");
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new IllegalArgumentException((accessKey.isPresent() ? "secret-key" : "access-key")
                    + ": access-key and secret-key must be set together (or neither, for the default credential chain)");
        }
        roleArn = c.text("role-arn");
        kind = TokenKind.parse(c.text("token-kind", roleArn.isPresent() ? "assume-role" : "session-token"));
        if (kind == TokenKind.ASSUME_ROLE && roleArn.isEmpty()) {
            throw new IllegalArgumentException("role-arn: required when token-kind is assume-role");
        }
        if (roleArn.isPresent() && !roleArn.get().startsWith("arn:")) {
            throw new IllegalArgumentException("role-arn: must be an ARN (arn:aws:iam::<account>:role/<name>), got '"
                    + ConfigReader.shown(roleArn.get()) + "'");
        }
        roleSessionName = c.text("role-session-name", "tokenhost");
        if (!roleSessionName.matches("[\\w+=,.@-]{2,64}")) {
            throw new IllegalArgumentException("role-session-name: must be 2-64 of [A-Za-z0-9_+=,.@-], got '"
                    + ConfigReader.shown(roleSessionName) + "'");
        }
        externalId = c.text("external-id");
        policy = c.text("policy");
        if (kind == TokenKind.SESSION_TOKEN) {
            for (String key : new String[] {"external-id", "policy", "role-session-name"}) {
                if (c.text(key).isPresent()) {
                    throw new IllegalArgumentException(key + ": only used with token-kind assume-role");
                }
            }
        }
        region = c.text("region", "us-east-1");
        if (!region.matches("[a-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("region: not a region name: '" + ConfigReader.shown(region) + "'");
        }
        endpoint = c.text("endpoint").map(ProviderSettings::endpoint);
        duration = c.duration("duration", Duration.ofHours(1));
        Duration max = kind == TokenKind.ASSUME_ROLE ? MAX_ASSUME_ROLE : MAX_SESSION_TOKEN;
        if (duration.compareTo(MIN_DURATION) < 0 || duration.compareTo(max) > 0) {
            throw new IllegalArgumentException("duration: must be from 15m to " + max.toHours() + "h for "
                    + kind.key() + ", got " + duration);
        }
        timeout = c.duration("timeout", Duration.ofSeconds(30));
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: must be more than 0, got " + timeout);
        }
    }

    /**
     * Parses a configuration dictionary.
     *
     * @throws IllegalArgumentException naming the offending key
     */
    public static ProviderSettings parse(Map<String, ?> properties) {
        return new ProviderSettings(new ConfigReader(properties));
    }

    /**
     * {@code service.name} if set, else {@code <base>.<factory name>} for a named factory
     * configuration, else {@code base}.
     */
    public static String serviceName(ConfigReader c, String factoryPid, String base) {
        Optional<String> explicit = c.text("service.name");
        String name = explicit.orElseGet(() -> c.factoryName(factoryPid).map(n -> base + "." + n).orElse(base));
        if (!ServiceNames.isValid(name)) {
            throw new IllegalArgumentException("service.name: '" + ConfigReader.shown(name)
                    + "' is not a valid service name: use 1-128 of [A-Za-z0-9._-], starting with a letter or digit");
        }
        return name;
    }

    private static URI endpoint(String text) {
        try {
            URI uri = new URI(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("endpoint: must be an http(s) URL such as https://sts.example.com, got '"
                        + ConfigReader.shown(text) + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint: not a URL: '" + ConfigReader.shown(text) + "'");
        }
    }

    public String serviceName() {
        return serviceName;
    }

    public TokenKind kind() {
        return kind;
    }

    /** Whether static keys are configured; otherwise the SDK's default credential chain is used. */
    public boolean staticKeys() {
        return accessKey.isPresent();
    }

    Optional<String> accessKey() {
        return accessKey;
    }

    Optional<String> secretKey() {
        return secretKey;
    }

    public String region() {
        return region;
    }

    public Optional<URI> endpoint() {
        return endpoint;
    }

    public Optional<String> roleArn() {
        return roleArn;
    }

    public String roleSessionName() {
        return roleSessionName;
    }

    public Optional<String> externalId() {
        return externalId;
    }

    public Optional<String> policy() {
        return policy;
    }

    public Duration duration() {
        return duration;
    }

    public Duration timeout() {
        return timeout;
    }

    /** A description safe for logs and status: no key material. */
    @Override
    public String toString() {
        return "s3 provider '" + serviceName + "': " + kind.key()
                + roleArn.map(r -> " " + r).orElse("")
                + ", identity " + (staticKeys() ? "static keys" : "default credential chain")
                + ", region " + region + endpoint.map(e -> ", endpoint " + e).orElse("")
                + ", duration " + duration;
    }
}
