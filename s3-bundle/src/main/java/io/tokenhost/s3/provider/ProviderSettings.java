package io.tokenhost.s3.provider;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.api.Durations;
import io.tokenhost.api.ServiceNames;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checked configuration of one s3 provider (factory PID {@code io.tokenhost.s3}; keys and
 * defaults in {@link ProviderConfig}). The secret key is kept here only to build the STS client;
 * {@link #toString()} never shows it nor the access key id.
 */
public final class ProviderSettings {

    public static final String FACTORY_PID = "io.tokenhost.s3";
    static final Duration MIN_DURATION = Duration.ofMinutes(15);

    static final String SERVICE_NAME = "service.name";
    static final String TOKEN_KIND = "token-kind";
    static final String ACCESS_KEY = "access-key";
    static final String SECRET_KEY = "secret-key";
    static final String ROLE_ARN = "role-arn";
    static final String ROLE_SESSION_NAME = "role-session-name";
    static final String EXTERNAL_ID = "external-id";
    static final String POLICY = "policy";
    static final String DURATION = "duration";
    static final String REGION = "region";
    static final String ENDPOINT = "endpoint";
    static final String TIMEOUT = "timeout";

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

    private ProviderSettings(ConfigValues values) {
        serviceName = serviceName(values, FACTORY_PID);
        accessKey = values.secret(ACCESS_KEY);
        secretKey = values.secret(SECRET_KEY);
        if (accessKey.isPresent() != secretKey.isPresent()) {
            String missing = accessKey.isPresent() ? SECRET_KEY : ACCESS_KEY;
            String other = accessKey.isPresent() ? ACCESS_KEY : SECRET_KEY;
            throw new ConfigurationRefusedException(missing, "must be set together with " + other
                    + " (or neither, for the default credential chain)", null);
        }
        roleArn = values.text(ROLE_ARN);
        if (roleArn.isEmpty() && givenBlank(values, ROLE_ARN)) {
            // an empty role-arn= must not quietly turn an intended AssumeRole into GetSessionToken
            throw values.refused(ROLE_ARN, "must not be empty: give a role ARN, or remove the key for GetSessionToken");
        }
        if (roleArn.isPresent() && !roleArn.get().startsWith("arn:")) {
            throw values.refused(ROLE_ARN, "must be an ARN (arn:aws:iam::<account>:role/<name>)");
        }
        kind = kind(values, roleArn.isPresent());
        if (kind == TokenKind.SESSION_TOKEN) {
            for (String key : List.of(EXTERNAL_ID, POLICY, ROLE_SESSION_NAME)) {
                if (values.given(key).isPresent()) {
                    throw new ConfigurationRefusedException(key, "must be set only with token-kind assume-role", null);
                }
            }
        }
        roleSessionName = values.required(ROLE_SESSION_NAME);
        if (!roleSessionName.matches("[\\w+=,.@-]{2,64}")) {
            throw values.refused(ROLE_SESSION_NAME, "must be 2-64 of [A-Za-z0-9_+=,.@-]");
        }
        externalId = values.text(EXTERNAL_ID);
        policy = values.text(POLICY);
        region = values.required(REGION);
        if (!region.matches("[a-z0-9-]{1,64}")) {
            throw values.refused(REGION, "must be a region name such as eu-west-1");
        }
        endpoint = values.text(ENDPOINT).map(text -> endpoint(values, text));
        duration = values.duration(DURATION);
        if (duration.compareTo(MIN_DURATION) < 0 || duration.compareTo(kind.maxDuration()) > 0) {
            throw values.refused(DURATION, "must be from " + Durations.format(MIN_DURATION) + " to "
                    + Durations.format(kind.maxDuration()) + " for " + kind.key());
        }
        timeout = values.duration(TIMEOUT);
    }

    /**
     * Checks a configuration.
     *
     * @throws ConfigurationRefusedException naming the offending key
     */
    public static ProviderSettings parse(ConfigValues values) {
        return new ProviderSettings(values);
    }

    /**
     * {@code service.name} if set, else {@code s3.<factory name>} for a named factory configuration,
     * else {@code s3}.
     */
    public static String serviceName(ConfigValues values, String factoryPid) {
        Optional<String> explicit = values.text(SERVICE_NAME);
        String name = explicit.orElseGet(() -> values.factoryName(factoryPid).map(n -> "s3." + n).orElse("s3"));
        if (!ServiceNames.isValid(name)) {
            String rule = "must be a valid service name: 1-128 of [A-Za-z0-9._-], starting with a letter or digit";
            throw explicit.isPresent() ? values.refused(SERVICE_NAME, rule)
                    : new ConfigurationRefusedException(SERVICE_NAME, rule + " (s3.<configuration name> is '"
                            + ConfigurationRefusedException.shown(name) + "': set service.name)", null);
        }
        return name;
    }

    /** Whether the configuration has the key with a blank value (rather than not at all). */
    static boolean givenBlank(ConfigValues values, String key) {
        // withPrefix lists the keys the configuration has, blank values included
        Map<String, String> given = values.withPrefix(key.substring(0, key.length() - 1));
        return given.containsKey(key) && given.get(key).isEmpty();
    }

    private static TokenKind kind(ConfigValues values, boolean roleArnSet) {
        if (values.text(TOKEN_KIND).isEmpty()) {
            return roleArnSet ? TokenKind.ASSUME_ROLE : TokenKind.SESSION_TOKEN;
        }
        TokenKind kind = TokenKind.of(values.oneOf(TOKEN_KIND, TokenKind.keys()));
        if (kind == TokenKind.ASSUME_ROLE && !roleArnSet) {
            throw new ConfigurationRefusedException(ROLE_ARN, "must be set when token-kind is assume-role", null);
        }
        return kind;
    }

    private static URI endpoint(ConfigValues values, String text) {
        String rule = "must be an http(s) URL such as https://sts.example.com";
        try {
            URI uri = new URI(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw values.refused(ENDPOINT, rule);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw values.refused(ENDPOINT, rule);
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
                + ", duration " + Durations.format(duration);
    }
}
