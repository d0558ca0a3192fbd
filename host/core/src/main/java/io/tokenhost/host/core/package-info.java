/**
 * The token manager's core, in plain Java with an injected clock, timer and executors so that it
 * is tested deterministically without OSGi. {@link io.tokenhost.host.core.TokenManager} is the
 * entry point and hands each job to its own class: which providers are registered and which one is
 * in charge of a service ({@link io.tokenhost.host.core.ProviderRegistry}), what each provider's
 * state is ({@link io.tokenhost.host.core.ProviderSlot}), when each is obtained and what a result
 * does ({@link io.tokenhost.host.core.RenewalScheduler} with the timing rules of {@link
 * io.tokenhost.host.core.RenewalPolicy}), how one obtain runs with its timeout ({@link
 * io.tokenhost.host.core.ObtainRunner}), and the container with everyone it is delivered to ({@link
 * io.tokenhost.host.core.TokenDelivery}).
 */
package io.tokenhost.host.core;
