/**
 * The token manager's core, in plain Java with an injected clock, timer and executors so that it
 * is tested deterministically without OSGi: which provider is obtained when ({@link
 * io.tokenhost.host.core.RenewalPolicy}), what each provider's state is ({@link
 * io.tokenhost.host.core.ProviderSlot}), how tokens reach receivers ({@link
 * io.tokenhost.host.core.ReceiverHandle}), and the coordinator that ties them together ({@link
 * io.tokenhost.host.core.TokenManager}).
 */
package io.tokenhost.host.core;
