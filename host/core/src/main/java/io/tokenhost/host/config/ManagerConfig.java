package io.tokenhost.host.config;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.api.Durations;
import io.tokenhost.api.ServiceNames;
import io.tokenhost.host.core.ManagerSettings;
import io.tokenhost.host.core.RenewalSettings;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An accepted manager configuration: the settings, and every key with the value in force (each key
 * {@link ManagerConfiguration} declares, then each {@code provider.<service>.<key>} given), which
 * is what {@code token:config} shows.
 */
public record ManagerConfig(ManagerSettings settings, Map<String, String> inForce) {

    private static final String PROVIDER_PREFIX = "provider.";
    private static final String SWITCH = "enabled";
    private static final String MAX_WAIT_WITHOUT_TOKENS = "renewal.retry.max-wait-without-tokens";
    /** The keys one provider may be given as {@code provider.<service>.<key>}. */
    private static final List<String> PROVIDER_KEYS = List.of(SWITCH, MAX_WAIT_WITHOUT_TOKENS);
    private static final Duration MAX_UPDATE_GRACE = Duration.ofHours(1);

    /** @throws ConfigurationRefusedException naming the first key whose value breaks its rule */
    public static ManagerConfig parse(ConfigValues values) {
        Duration backoff = values.duration("renewal.retry.backoff");
        Duration backoffMax = values.duration("renewal.retry.backoff.max");
        if (backoffMax.compareTo(backoff) < 0) {
            throw values.refused("renewal.retry.backoff.max",
                    "must be at least renewal.retry.backoff (" + Durations.format(backoff) + ")");
        }
        Duration minInterval = values.duration("renewal.min-interval");
        Duration maxWaitWithoutTokens = values.duration(MAX_WAIT_WITHOUT_TOKENS);
        if (maxWaitWithoutTokens.compareTo(minInterval) < 0) {
            throw values.refused(MAX_WAIT_WITHOUT_TOKENS, atLeastMinInterval(minInterval));
        }
        RenewalSettings renewal = new RenewalSettings(
                values.fraction("renewal.time-ratio", false),
                backoff,
                backoffMax,
                values.fraction("renewal.retry.jitter", true),
                values.duration("renewal.fallback-period"),
                values.duration("obtain.timeout"),
                minInterval,
                maxWaitWithoutTokens);
        values.duration("plugin.start-timeout", Duration.ofMillis(100), Duration.ofHours(1)); // used by the plugin starter
        Map<String, Boolean> switches = new TreeMap<>();
        Map<String, Duration> maxWaits = new TreeMap<>();
        Map<String, String> providerKeys = new TreeMap<>();
        values.withPrefix(PROVIDER_PREFIX).forEach((key, value) -> {
            Optional<String> setting = providerSetting(key);
            if (setting.isEmpty()) {
                return; // not of the family: warned about as an unknown key
            }
            String service = key.substring(PROVIDER_PREFIX.length(), key.length() - setting.get().length() - 1);
            if (!ServiceNames.isValid(service)) {
                throw new ConfigurationRefusedException(key, "must be provider.<service>." + setting.get()
                        + " with a service name of " + ServiceNames.RULE, null);
            }
            if (setting.get().equals(SWITCH)) {
                switches.put(service, bool(key, value));
                providerKeys.put(key, switches.get(service).toString());
            } else {
                maxWaits.put(service, duration(key, value, minInterval));
                providerKeys.put(key, value);
            }
        });
        ManagerSettings settings = new ManagerSettings(values.bool("enabled"), switches, renewal, maxWaits,
                values.duration("update.grace", Duration.ZERO, MAX_UPDATE_GRACE));
        return new ManagerConfig(settings, inForce(values, providerKeys));
    }

    /**
     * Whether a key belongs to a per-provider family: {@code provider.<service>.enabled} or {@code
     * provider.<service>.renewal.retry.max-wait-without-tokens}.
     */
    public static boolean isProviderKey(String key) {
        return providerSetting(key).isPresent();
    }

    /** The setting a {@code provider.<service>.<setting>} key gives one provider. */
    private static Optional<String> providerSetting(String key) {
        if (!key.startsWith(PROVIDER_PREFIX)) {
            return Optional.empty();
        }
        return PROVIDER_KEYS.stream()
                .filter(setting -> key.endsWith("." + setting)
                        && key.length() > PROVIDER_PREFIX.length() + setting.length() + 1)
                .findFirst();
    }

    private static boolean bool(String key, String value) {
        String text = value.toLowerCase(Locale.ROOT);
        if (!text.equals("true") && !text.equals("false")) {
            throw new ConfigurationRefusedException(key, "must be true or false", value);
        }
        return Boolean.parseBoolean(text);
    }

    /** A per-provider duration, by the rules of {@link ConfigValues#duration(String)}, and at least the minimum interval. */
    private static Duration duration(String key, String value, Duration minInterval) {
        Duration duration;
        try {
            duration = Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationRefusedException(key, "must be " + Durations.SYNTAX, value);
        }
        if (duration.compareTo(Duration.ofMillis(1)) < 0 || duration.compareTo(ConfigValues.MAX_DURATION) > 0) {
            throw new ConfigurationRefusedException(key,
                    "must be more than 0 and at most " + Durations.format(ConfigValues.MAX_DURATION), value);
        }
        if (duration.compareTo(minInterval) < 0) {
            throw new ConfigurationRefusedException(key, atLeastMinInterval(minInterval), value);
        }
        return duration;
    }

    private static String atLeastMinInterval(Duration minInterval) {
        return "must be at least renewal.min-interval (" + Durations.format(minInterval) + ")";
    }

    private static Map<String, String> inForce(ConfigValues values, Map<String, String> providerKeys) {
        Map<String, String> inForce = new LinkedHashMap<>();
        for (String key : ConfigValues.declared(ManagerConfiguration.class).keySet()) {
            inForce.put(key, values.text(key).orElse(""));
        }
        inForce.putAll(providerKeys);
        return Collections.unmodifiableMap(inForce);
    }
}
