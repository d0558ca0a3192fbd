/**
 * The Tokenhost plugin SPI, shared by the host and every plugin bundle.
 *
 * <ul>
 *   <li>{@link io.tokenhost.api.DelegationTokenProvider}: registered by a plugin, obtains tokens for
 *       one service (authentication happens inside the provider).</li>
 *   <li>{@link io.tokenhost.api.DelegationTokenReceiver}: registered by a plugin, installs tokens for
 *       client libraries where they are used.</li>
 *   <li>{@link io.tokenhost.api.SecretFiles}: the one safe way to write files holding tokens
 *       (owner-only, atomic).</li>
 *   <li>{@link io.tokenhost.api.TokenStatusView}: read-only status for shells and metrics; never
 *       carries token bytes.</li>
 * </ul>
 *
 * The host-to-remote plumbing (container, its wire codec, listener and sink) lives in its own
 * package, {@link io.tokenhost.api.distribution}; plugins need only this one. Until 1.1.0 those
 * types were in this package; they moved in 1.2.0. Strict semantic versioning would call that a
 * major change; the package stays on 1.x because only the host's own bundles ever used the moved
 * types, and a 2.0 would have stopped every plugin built against 1.x from resolving.
 *
 * 1.3.0 added what a plugin update shows: {@link io.tokenhost.api.ServiceStatus.State#HANDING_OVER}
 * and {@link io.tokenhost.api.ServiceStatus#fromPreviousRevision()}.
 *
 * 1.4.0 changes nothing in this package. It is the API release that added the package {@code
 * io.tokenhost.api.telemetry} (1.0.0) and {@code LeadershipSwitch} to {@link
 * io.tokenhost.api.distribution} (1.2.0): the API artifact, its bundle and this package carry one
 * version, and a jar with new content gets a new one.
 *
 * This package has no Hadoop, AWS or OSGi-implementation types, so every plugin can import it
 * whatever client stack it embeds.
 */
@Export
@Version("1.4.0")
package io.tokenhost.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
