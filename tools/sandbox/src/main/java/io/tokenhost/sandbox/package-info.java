/**
 * The sandbox: {@code tools/sandbox.sh} starts a real KDC and a secure HDFS, a copy of the distribution
 * with the Hadoop bundle, and shows tokens obtained, renewed and used by a separate JVM.
 */
package io.tokenhost.sandbox;
