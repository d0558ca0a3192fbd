/**
 * The Tokenhost SPI, shared by the host and every plugin bundle.
 *
 * <ul>
 *   <li>{@link io.tokenhost.api.DelegationTokenProvider}: registered by a plugin, obtains tokens for
 *       one service (authentication happens inside the provider).</li>
 *   <li>{@link io.tokenhost.api.DelegationTokenReceiver}: registered by a plugin, installs tokens for
 *       client libraries where they are used.</li>
 *   <li>{@link io.tokenhost.api.TokenContainer}: all current tokens by service name, with a version;
 *       {@link io.tokenhost.api.TokenContainerCodec} is its wire form.</li>
 *   <li>{@link io.tokenhost.api.TokenContainerListener} (since 1.1): told of every new container
 *       version, e.g. by the remote bundle to push it to workers; {@link
 *       io.tokenhost.api.TokenContainerSink} (since 1.1): registered by the host, applies a container
 *       received from elsewhere.</li>
 *   <li>{@link io.tokenhost.api.SecretFiles}: the one safe way to write files holding tokens
 *       (owner-only, atomic).</li>
 *   <li>{@link io.tokenhost.api.TokenStatusView}: read-only status for shells and metrics; never
 *       carries token bytes.</li>
 * </ul>
 *
 * This package has no Hadoop, AWS or OSGi-implementation types, so every plugin can import it
 * whatever client stack it embeds.
 */
@Export
@Version("1.1.0")
package io.tokenhost.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
