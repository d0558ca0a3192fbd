/**
 * Pieces shared by the HBase provider and shell commands: the keys of PID {@code io.tokenhost.hbase}
 * and the HBase client settings read from them, the thread every HBase call runs on, the
 * token-storage encoding, and the release of Hadoop's JVM-wide hooks and threads. Private to the
 * bundle.
 */
package io.tokenhost.hbase.common;
