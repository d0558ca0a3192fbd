/** The worker role: subscribe, apply, acknowledge, reconnect with jittered backoff. */
package io.tokenhost.remote.worker;
