package io.tokenhost.host.core;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything configurable about the manager: the global switch, per-provider switches and the
 * renewal timing, with per-provider overrides.
 *
 * @param enabled false switches every provider off
 * @param providerEnabled per service name; a service not listed is enabled
 * @param renewal renewal timing
 * @param providerMaxWaitWithoutTokens per service name, its own {@link
 *     RenewalSettings#maxWaitWithoutTokens()}; a service not listed uses {@code renewal}'s
 */
public record ManagerSettings(boolean enabled, Map<String, Boolean> providerEnabled, RenewalSettings renewal,
        Map<String, Duration> providerMaxWaitWithoutTokens) {

    public static final ManagerSettings DEFAULTS = new ManagerSettings(true, Map.of(), RenewalSettings.DEFAULTS);

    public ManagerSettings {
        providerEnabled = Map.copyOf(providerEnabled);
        Objects.requireNonNull(renewal, "renewal");
        providerMaxWaitWithoutTokens = Map.copyOf(providerMaxWaitWithoutTokens);
    }

    /** Settings without per-provider overrides of the renewal timing. */
    public ManagerSettings(boolean enabled, Map<String, Boolean> providerEnabled, RenewalSettings renewal) {
        this(enabled, providerEnabled, renewal, Map.of());
    }

    public boolean isEnabled(String service) {
        return enabled && providerEnabled.getOrDefault(service, true);
    }

    /** The renewal timing of one service: {@link #renewal()} with the service's own overrides. */
    public RenewalSettings renewal(String service) {
        Duration maxWait = providerMaxWaitWithoutTokens.get(service);
        return maxWait == null ? renewal : renewal.withMaxWaitWithoutTokens(maxWait);
    }
}
