package io.tokenhost.host.config;

import io.tokenhost.api.Durations;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The token manager's configuration keys and defaults, declared once: {@link ManagerConfig} reads
 * them, {@code token:config} lists them, and the Metatype service describes them to ConfigAdmin
 * tooling. DS maps element names to keys: {@code renewal_time$_$ratio} is {@code
 * renewal.time-ratio}. Every element is a String so that a bad value is refused naming its key
 * (DS would read a malformed number as 0). Besides these keys, the open families {@code
 * provider.<service>.enabled} switch one provider off or on, and {@code
 * provider.<service>.renewal.retry.max-wait-without-tokens} override that key for one provider.
 */
@ObjectClassDefinition(id = ManagerConfiguration.PID, name = "Tokenhost token manager",
        description = "Obtains delegation tokens from the providers, re-obtains them before they expire and"
                + " delivers them to the receivers. Also: provider.<service>.enabled=false switches one provider off;"
                + " provider.<service>.renewal.retry.max-wait-without-tokens overrides that key for one provider.")
public @interface ManagerConfiguration {

    String PID = "io.tokenhost.manager";

    @AttributeDefinition(description = "Obtain and distribute tokens at all: true or false.")
    String enabled() default "true";

    @AttributeDefinition(description = "Re-obtain after this fraction of the remaining validity, in (0, 1).")
    String renewal_time$_$ratio() default "0.75";

    @AttributeDefinition(description = "Wait after the first failed obtain, doubled after each further failure"
            + " that waited this backoff (not one of the caps): " + Durations.SYNTAX + ".")
    String renewal_retry_backoff() default "30s";

    @AttributeDefinition(description = "The longest retry wait, at least renewal.retry.backoff.")
    String renewal_retry_backoff_max() default "10m";

    @AttributeDefinition(description = "The longest retry wait while the service holds no valid tokens (none obtained"
            + " yet, expired or withdrawn), so that tokens are back soon after the token service is; at least"
            + " renewal.min-interval.")
    String renewal_retry_max$_$wait$_$without$_$tokens() default "15s";

    @AttributeDefinition(description = "Random spread of each retry wait, plus or minus this fraction, in [0, 1).")
    String renewal_retry_jitter() default "0.2";

    @AttributeDefinition(description = "Re-obtain period for tokens whose provider gives no expiry.")
    String renewal_fallback$_$period() default "1h";

    @AttributeDefinition(description = "Never obtain one provider more often than this.")
    String renewal_min$_$interval() default "1s";

    @AttributeDefinition(description = "An obtain running longer counts as failed and is interrupted.")
    String obtain_timeout() default "30s";

    @AttributeDefinition(description = "When a provider's bundle stops (for an update, say), its tokens stay this long"
            + " at most for a provider of the same plugin to take them over; uninstalling the plugin withdraws them"
            + " at once. From 0s (withdraw at once) to 1h.")
    String update_grace() default "20s";

    @AttributeDefinition(description = "A plugin bundle whose start has not returned after this long is reported with the"
            + " stack of its thread, and quarantined (not started) at the next host start; later plugins keep starting."
            + " From 100ms to 1h.")
    String plugin_start$_$timeout() default "10s";
}
