/** Scopes: which workers may receive which services (the manager's {@code access.*} keys). */
package io.tokenhost.remote.access;
