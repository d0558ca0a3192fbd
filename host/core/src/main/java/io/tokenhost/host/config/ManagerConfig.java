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
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An accepted manager configuration: the settings, and every key with the value in force (each key
 * {@link ManagerConfiguration} declares, then each {@code provider.<service>.enabled} given), which
 * is what {@code token:config} shows.
 */
public record ManagerConfig(ManagerSettings settings, Map<String, String> inForce) {

    private static final String SWITCH_PREFIX = "provider.";
    private static final String SWITCH_SUFFIX = ".enabled";
    private static final Duration MAX_UPDATE_GRACE = Duration.ofHours(1);

    /** @throws ConfigurationRefusedException naming the first key whose value breaks its rule */
    public static ManagerConfig parse(ConfigValues values) {
        Duration backoff = values.duration("renewal.retry.backoff");
        Duration backoffMax = values.duration("renewal.retry.backoff.max");
        if (backoffMax.compareTo(backoff) < 0) {
            throw values.refused("renewal.retry.backoff.max",
                    "must be at least renewal.retry.backoff (" + Durations.format(backoff) + ")");
        }
        RenewalSettings renewal = new RenewalSettings(
                values.fraction("renewal.time-ratio", false),
                backoff,
                backoffMax,
                values.fraction("renewal.retry.jitter", true),
                values.duration("renewal.fallback-period"),
                values.duration("obtain.timeout"),
                values.duration("renewal.min-interval"));
        Map<String, Boolean> switches = providerSwitches(values);
        ManagerSettings settings = new ManagerSettings(values.bool("enabled"), switches, renewal,
                values.duration("update.grace", Duration.ZERO, MAX_UPDATE_GRACE));
        return new ManagerConfig(settings, inForce(values, switches));
    }

    /** Whether a key belongs to the family {@code provider.<service>.enabled}. */
    public static boolean isProviderSwitch(String key) {
        return key.startsWith(SWITCH_PREFIX) && key.endsWith(SWITCH_SUFFIX)
                && key.length() > SWITCH_PREFIX.length() + SWITCH_SUFFIX.length();
    }

    private static Map<String, Boolean> providerSwitches(ConfigValues values) {
        Map<String, Boolean> switches = new TreeMap<>();
        values.withPrefix(SWITCH_PREFIX).forEach((key, value) -> {
            if (!isProviderSwitch(key)) {
                return; // not of the family: warned about as an unknown key
            }
            String service = key.substring(SWITCH_PREFIX.length(), key.length() - SWITCH_SUFFIX.length());
            if (!ServiceNames.isValid(service)) {
                throw new ConfigurationRefusedException(key,
                        "must be provider.<service>.enabled with a service name of " + ServiceNames.RULE, null);
            }
            String text = value.toLowerCase(Locale.ROOT);
            if (!text.equals("true") && !text.equals("false")) {
                throw new ConfigurationRefusedException(key, "must be true or false", value);
            }
            switches.put(service, Boolean.parseBoolean(text));
        });
        return switches;
    }

    private static Map<String, String> inForce(ConfigValues values, Map<String, Boolean> switches) {
        Map<String, String> inForce = new LinkedHashMap<>();
        for (String key : ConfigValues.declared(ManagerConfiguration.class).keySet()) {
            inForce.put(key, values.text(key).orElse(""));
        }
        switches.forEach((service, enabled) -> inForce.put(SWITCH_PREFIX + service + SWITCH_SUFFIX, enabled.toString()));
        return Collections.unmodifiableMap(inForce);
    }
}
