/**
 * Helpers shared by the host's bundles. Not exported: each bundle that uses this package carries
 * its own copy (bnd {@code -conditionalpackage}).
 */
package io.tokenhost.host.common;
