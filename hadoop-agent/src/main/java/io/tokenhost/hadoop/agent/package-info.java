/**
 * A Java agent that keeps an unmodified long-running Hadoop client's tokens fresh: Hadoop reads
 * {@code HADOOP_TOKEN_FILE_LOCATION} once, at login; this agent watches that file (rewritten by
 * Tokenhost's {@code hadoopfs} receiver at every renewal) and adds each new version's tokens to the
 * JVM's Hadoop login user. It uses the client's own Hadoop classes and logs through
 * {@link java.lang.System.Logger}, fingerprints only.
 */
package io.tokenhost.hadoop.agent;
