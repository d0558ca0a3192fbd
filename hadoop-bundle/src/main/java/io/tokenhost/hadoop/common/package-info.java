/**
 * Pieces shared by the Hadoop provider, receiver and shell commands: the keys of PID
 * {@code io.tokenhost.hadoop} and the Hadoop client settings read from it, the service a component
 * registers for its accepted configuration, the thread context class loader guard, the
 * token-storage encoding, token files, and the release of Hadoop's JVM-wide hooks and threads.
 * Private to the bundle.
 */
package io.tokenhost.hadoop.common;
