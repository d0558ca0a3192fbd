/**
 * The {@code hadoopfs} receiver: installs delegation tokens for the Hadoop clients in this bundle
 * and writes them to a Hadoop token file for other processes. Private to the bundle.
 */
package io.tokenhost.hadoop.receiver;
