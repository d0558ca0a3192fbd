/**
 * Host-to-remote distribution types: what the host hands to a bundle that carries tokens elsewhere
 * (the remote bundle pushes containers from a manager to its workers) and takes back from it.
 *
 * <ul>
 *   <li>{@link io.tokenhost.api.distribution.TokenContainer}: all current tokens by service name,
 *       with a version; {@link io.tokenhost.api.distribution.TokenContainerCodec} is its documented,
 *       bounds-checked wire form ({@link io.tokenhost.api.distribution.MalformedContainerException}
 *       when input is refused).</li>
 *   <li>{@link io.tokenhost.api.distribution.TokenContainerListener}: told of every new container
 *       version.</li>
 *   <li>{@link io.tokenhost.api.distribution.TokenContainerSink}: registered by the host, applies a
 *       container received from elsewhere.</li>
 *   <li>{@link io.tokenhost.api.distribution.LeadershipSwitch}: registered by the host, switches
 *       its obtains on (leader) and off (standby).</li>
 * </ul>
 *
 * Plugins that only provide or receive tokens do not need this package.
 *
 * <p>1.1.0 (additive): a container carries each service's valid-until ({@code
 * TokenContainer.validUntil}, {@code of} and {@code with} taking one), and the codec writes format
 * 2, which holds it, while still reading format 1.
 *
 * <p>1.2.0 (additive): {@link io.tokenhost.api.distribution.LeadershipSwitch}, registered by the
 * host, with which an election among several managers keeps the standbys from obtaining.
 */
@Export
@Version("1.2.0")
package io.tokenhost.api.distribution;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
