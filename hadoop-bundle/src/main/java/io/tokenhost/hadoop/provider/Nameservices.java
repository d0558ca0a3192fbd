package io.tokenhost.hadoop.provider;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/**
 * Checks the HDFS nameservices (logical URIs such as {@code hdfs://ns1}, served by several
 * NameNodes) the provider obtains tokens for, before any NameNode is contacted: a URI whose
 * authority is a nameservice needs the client failover settings, else Hadoop would take
 * {@code ns1} for a host name and fail with an {@code UnknownHostException} far from the cause.
 * Messages name the missing key as it is written in the provider's configuration
 * ({@code hadoop.<key>}) and never show a value other than nameservice and NameNode ids.
 */
final class Nameservices {

    static final String NAMESERVICES = "dfs.nameservices";
    static final String NAMENODES = "dfs.ha.namenodes.";
    static final String RPC_ADDRESS = "dfs.namenode.rpc-address.";
    static final String FAILOVER_PROVIDER = "dfs.client.failover.proxy.provider.";
    static final String CONFIGURED_FAILOVER =
            "org.apache.hadoop.hdfs.server.namenode.ha.ConfiguredFailoverProxyProvider";

    private Nameservices() {
    }

    /** The first problem with the nameservices of these file systems, if any. */
    static Optional<String> check(Configuration conf, Set<URI> filesystems) {
        for (URI uri : filesystems) {
            if (!isLogicalCandidate(uri) || !isNameservice(conf, uri.getHost())) {
                continue;
            }
            String ns = uri.getHost();
            String where = uri + ": nameservice " + ns;
            if (!listed(conf).contains(ns)) {
                return Optional.of(where + " is not listed in hadoop." + NAMESERVICES + " (" + listedText(conf)
                        + "): add it there");
            }
            Collection<String> namenodes = conf.getTrimmedStringCollection(NAMENODES + ns);
            if (namenodes.isEmpty()) {
                return Optional.of(where + " has no NameNodes: set hadoop." + NAMENODES + ns
                        + " to their ids, e.g. nn1,nn2");
            }
            for (String nn : namenodes) {
                if (conf.getTrimmed(RPC_ADDRESS + ns + "." + nn, "").isEmpty()) {
                    return Optional.of(where + " has no address for NameNode " + nn + ": set hadoop." + RPC_ADDRESS
                            + ns + "." + nn + " to its host:port");
                }
            }
            if (conf.getTrimmed(FAILOVER_PROVIDER + ns, "").isEmpty()) {
                return Optional.of(where + " has no client failover proxy provider: set hadoop." + FAILOVER_PROVIDER + ns
                        + ", usually to " + CONFIGURED_FAILOVER);
            }
        }
        return Optional.empty();
    }

    /**
     * Why an obtain from this URI may have failed, when its authority is neither a nameservice nor
     * a host name that resolves (typically a nameservice that was never configured); else empty.
     */
    static Optional<String> unknown(Configuration conf, URI uri) {
        if (!isLogicalCandidate(uri) || isNameservice(conf, uri.getHost())
                || !new InetSocketAddress(uri.getHost(), 0).isUnresolved()) {
            return Optional.empty();
        }
        String ns = uri.getHost();
        return Optional.of(ns + " is neither a nameservice of hadoop." + NAMESERVICES + " (" + listedText(conf)
                + ") nor a host name that resolves; for a nameservice set hadoop." + NAMESERVICES + ", hadoop." + NAMENODES
                + ns + ", hadoop." + RPC_ADDRESS + ns + ".<namenode id> and hadoop." + FAILOVER_PROVIDER + ns);
    }

    /** An HDFS URI without a port: its authority may be a nameservice. */
    private static boolean isLogicalCandidate(URI uri) {
        return "hdfs".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && uri.getPort() == -1;
    }

    private static boolean isNameservice(Configuration conf, String host) {
        return listed(conf).contains(host) || conf.get(NAMENODES + host) != null || conf.get(FAILOVER_PROVIDER + host) != null;
    }

    private static Collection<String> listed(Configuration conf) {
        return conf.getTrimmedStringCollection(NAMESERVICES);
    }

    private static String listedText(Configuration conf) {
        Collection<String> listed = listed(conf);
        return listed.isEmpty() ? "none" : String.join(",", listed);
    }
}
