/** The token manager as a Declarative Services component: tracks providers and receivers, reads configuration. */
package io.tokenhost.host.osgi;
