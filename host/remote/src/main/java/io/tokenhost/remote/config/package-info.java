/** Configuration PID {@code io.tokenhost.remote}: role, addresses, TLS files, reconnect backoff. */
package io.tokenhost.remote.config;
