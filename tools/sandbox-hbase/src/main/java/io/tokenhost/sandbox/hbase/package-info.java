/**
 * The HBase sandbox ({@code tools/sandbox.sh --hbase}) and its parts, shared with itests/hbase: a
 * KDC, a secure HDFS and a secure HBase in one JVM, and a separate token-only reader JVM.
 */
package io.tokenhost.sandbox.hbase;
