package io.tokenhost.api.distribution;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Registered by the host: tells its token manager whether it leads. A host leads unless told
 * otherwise (standalone and single-manager setups never call this). A bundle that elects one leader
 * among several managers (the remote bundle with {@code ha.*} keys) calls {@link #standBy} on every
 * manager that does not lead, so that only the leader obtains tokens, and {@link #lead} on the one
 * that won the election, which then obtains every service at once.
 *
 * @since 1.2
 */
@ProviderType
public interface LeadershipSwitch {

    /** This host leads: obtain every enabled service now and keep them fresh from then on. */
    void lead();

    /**
     * This host does not lead: no obtain runs or is planned until {@link #lead}; a running obtain's
     * result is discarded. The tokens held stay in the container.
     *
     * @param why shown in {@code token:status} (e.g. "standby: the leader is m1:7443, epoch 4"); no secret
     */
    void standBy(String why);
}
