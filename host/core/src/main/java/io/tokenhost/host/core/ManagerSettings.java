package io.tokenhost.host.core;

import java.util.Map;
import java.util.Objects;

/**
 * Everything configurable about the manager: the global switch, per-provider switches and the
 * renewal timing.
 *
 * @param enabled false switches every provider off
 * @param providerEnabled per service name; a service not listed is enabled
 * @param renewal renewal timing
 */
public record ManagerSettings(boolean enabled, Map<String, Boolean> providerEnabled, RenewalSettings renewal) {

    public static final ManagerSettings DEFAULTS = new ManagerSettings(true, Map.of(), RenewalSettings.DEFAULTS);

    public ManagerSettings {
        providerEnabled = Map.copyOf(providerEnabled);
        Objects.requireNonNull(renewal, "renewal");
    }

    public boolean isEnabled(String service) {
        return enabled && providerEnabled.getOrDefault(service, true);
    }
}
