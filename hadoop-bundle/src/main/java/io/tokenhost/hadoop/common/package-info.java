/**
 * Pieces shared by the Hadoop provider and receiver: the thread context class loader guard,
 * Hadoop configuration assembly, the token-storage encoding, token files, and the release of
 * Hadoop's JVM-wide hooks and threads. Private to the bundle.
 */
package io.tokenhost.hadoop.common;
