/** Mutual-TLS contexts built from PEM files. */
package io.tokenhost.remote.tls;
