/**
 * Gogo commands of scope {@code hadoop}: check, from inside the host, that the delegation tokens the
 * {@code hadoopfs} receiver installed in this bundle work. Private to the bundle.
 */
package io.tokenhost.hadoop.shell;
