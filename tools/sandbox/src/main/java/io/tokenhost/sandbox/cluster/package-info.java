/** A real KDC (MiniKdc) and a secure HDFS (MiniDFSCluster with Kerberos) for the sandbox and the tests. */
package io.tokenhost.sandbox.cluster;
