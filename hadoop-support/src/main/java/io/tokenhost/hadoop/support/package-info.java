/**
 * What every bundle that embeds a Hadoop client needs, written once: the Kerberos login, the one
 * thread Hadoop calls run on, the release of Hadoop's JVM-wide hooks and threads, and the
 * token-storage format. Not a bundle and never exported: bnd copies this package into each such
 * bundle ({@code -conditionalpackage}), where it links against that bundle's own Hadoop.
 */
package io.tokenhost.hadoop.support;
