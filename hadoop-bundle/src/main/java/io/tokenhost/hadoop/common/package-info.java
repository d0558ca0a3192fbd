/**
 * Pieces shared by the Hadoop provider, receiver and shell commands: the keys of PID
 * {@code io.tokenhost.hadoop} and the Hadoop client settings read from them, the service a component
 * registers for its accepted configuration, and token files. (The Kerberos login, the Hadoop call
 * thread, the release of Hadoop's JVM-wide hooks and threads and the token-storage format are in
 * {@code io.tokenhost.hadoop.support}, copied into this bundle.) Private to the bundle.
 */
package io.tokenhost.hadoop.common;
