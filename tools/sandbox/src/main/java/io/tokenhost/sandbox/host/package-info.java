/** A copy of the assembled distribution with the Hadoop bundle and its configuration, run as a process. */
package io.tokenhost.sandbox.host;
