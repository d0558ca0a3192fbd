package io.tokenhost.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Registered by the host: where every bundle's components report what became of their
 * configuration, so that {@code token:status} lists the problems of every bundle in one place.
 * {@link Configured} calls it; a component rarely needs to. The host gives each bundle its own
 * view: a bundle's problems disappear when it stops.
 *
 * @since 1.2
 */
@ProviderType
public interface ConfigurationProblems {

    /**
     * A configuration was refused.
     *
     * @param pid the configuration PID (for factory configurations, the factory PID and name)
     * @param problem the reason, naming the key and the rule, never a secret value
     * @param previousKept whether earlier good settings stay in force (else the component is not started)
     */
    void refused(String pid, String problem, boolean previousKept);

    /** The configuration was accepted: any problem reported for it is over. */
    void accepted(String pid);
}
