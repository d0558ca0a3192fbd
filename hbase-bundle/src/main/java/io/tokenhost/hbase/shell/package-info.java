/** Gogo commands of scope {@code hbase}. Private to the bundle. */
package io.tokenhost.hbase.shell;
