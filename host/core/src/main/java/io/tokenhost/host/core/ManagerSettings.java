package io.tokenhost.host.core;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything configurable about the manager: the global switch, per-provider switches, the renewal
 * timing and how long a provider's tokens wait for its plugin's next revision.
 *
 * @param enabled false switches every provider off
 * @param providerEnabled per service name; a service not listed is enabled
 * @param renewal renewal timing
 * @param updateGrace how long the tokens of a provider whose bundle stopped stay in force for a
 *     provider of the same plugin to take them over (an update); zero withdraws them at once
 */
public record ManagerSettings(boolean enabled, Map<String, Boolean> providerEnabled, RenewalSettings renewal,
        Duration updateGrace) {

    public static final Duration DEFAULT_UPDATE_GRACE = Duration.ofSeconds(20);
    public static final ManagerSettings DEFAULTS = new ManagerSettings(true, Map.of(), RenewalSettings.DEFAULTS);

    public ManagerSettings {
        providerEnabled = Map.copyOf(providerEnabled);
        Objects.requireNonNull(renewal, "renewal");
        if (updateGrace.isNegative()) {
            throw new IllegalArgumentException("updateGrace must not be negative, got " + updateGrace);
        }
    }

    /** Settings with the default {@link #updateGrace}. */
    public ManagerSettings(boolean enabled, Map<String, Boolean> providerEnabled, RenewalSettings renewal) {
        this(enabled, providerEnabled, renewal, DEFAULT_UPDATE_GRACE);
    }

    public boolean isEnabled(String service) {
        return enabled && providerEnabled.getOrDefault(service, true);
    }
}
