/**
 * Configuration: the token manager's declaration ({@code conf/io.tokenhost.manager.cfg}) and how
 * it is read, and the host's {@link io.tokenhost.api.ConfigurationProblems} service, where every
 * bundle's components report refused configurations for {@code token:status}.
 */
package io.tokenhost.host.config;
