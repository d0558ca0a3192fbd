/** The Gogo commands of scope {@code token}. */
package io.tokenhost.host.shell;
