/**
 * The {@code hadoopfs} provider, and one {@code hadoopfs.<name>} per further cluster: Kerberos login
 * (keytab or ticket cache, relogin before expiry), delegation tokens for the default and configured
 * Hadoop file systems (HA nameservices checked for their failover settings), optionally for a proxy
 * user, their validity, and tokens imported from an existing token file. Private to the bundle.
 */
package io.tokenhost.hadoop.provider;
