/**
 * The {@code hadoopfs} provider: Kerberos login (keytab or ticket cache, relogin before expiry),
 * delegation tokens for the default and configured Hadoop file systems, optionally for a proxy
 * user, their validity, and tokens imported from an existing token file. Private to the bundle.
 */
package io.tokenhost.hadoop.provider;
