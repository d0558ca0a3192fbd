/**
 * Pieces shared by the HBase provider and shell commands: the keys of PID {@code io.tokenhost.hbase}
 * and the HBase client settings read from them, and the release of the HBase client's JVM-wide
 * threads (with Hadoop's, through {@code io.tokenhost.hadoop.support}). Private to the bundle.
 */
package io.tokenhost.hbase.common;
