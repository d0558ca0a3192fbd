package io.tokenhost.host.core;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything configurable about the manager: the global switch, per-provider switches, the renewal
 * timing with per-provider overrides, and how long a provider's tokens wait for its plugin's next
 * revision.
 *
 * @param enabled false switches every provider off
 * @param providerEnabled per service name; a service not listed is enabled
 * @param renewal renewal timing
 * @param providerMaxWaitWithoutTokens per service name, its own {@link
 *     RenewalSettings#maxWaitWithoutTokens()}; a service not listed uses {@code renewal}'s
 * @param updateGrace how long the tokens of a provider whose bundle stopped stay in force for a
 *     provider of the same plugin to take them over (an update); zero withdraws them at once
 */
public record ManagerSettings(boolean enabled, Map<String, Boolean> providerEnabled, RenewalSettings renewal,
        Map<String, Duration> providerMaxWaitWithoutTokens, Duration updateGrace) {

    public static final Duration DEFAULT_UPDATE_GRACE = Duration.ofSeconds(20);
    public static final ManagerSettings DEFAULTS = new ManagerSettings(true, Map.of(), RenewalSettings.DEFAULTS);

    public ManagerSettings {
        providerEnabled = Map.copyOf(providerEnabled);
        Objects.requireNonNull(renewal, "renewal");
        providerMaxWaitWithoutTokens = Map.copyOf(providerMaxWaitWithoutTokens);
        if (updateGrace.isNegative()) {
            throw new IllegalArgumentException("updateGrace must not be negative, got " + updateGrace);
        }
    }

    /** Settings without per-provider overrides of the renewal timing, with the default {@link #updateGrace}. */
    public ManagerSettings(boolean enabled, Map<String, Boolean> providerEnabled, RenewalSettings renewal) {
        this(enabled, providerEnabled, renewal, Map.of(), DEFAULT_UPDATE_GRACE);
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
