/**
 * The {@code hbase} provider: Kerberos login and HBase authentication tokens, one provider per
 * cluster configuration. Private to the bundle.
 */
package io.tokenhost.hbase.provider;
