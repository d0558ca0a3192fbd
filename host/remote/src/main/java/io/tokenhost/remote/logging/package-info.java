/** Logging helpers shared by the manager's refusal paths. */
package io.tokenhost.remote.logging;
