package io.tokenhost.hadoop.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** Each rule of the nameservice check, with a plain Hadoop configuration (no cluster needed). */
class NameservicesTest {

    private static final URI NS1 = URI.create("hdfs://ns1");

    @Test
    void aCompleteNameserviceAndPlainHostsPass() {
        assertThat(Nameservices.check(complete(), Set.of(NS1, URI.create("hdfs://nn:8020"), URI.create("file:///"),
                URI.create("s3a://bucket")))).isEmpty();
        assertThat(Nameservices.check(new Configuration(false), Set.of(URI.create("hdfs://namenode.example.com")))).isEmpty();
    }

    @Test
    void aNameserviceWithoutFailoverProviderNamesTheKey() {
        Configuration conf = complete();
        conf.unset("dfs.client.failover.proxy.provider.ns1");
        assertThat(Nameservices.check(conf, Set.of(NS1))).contains("hdfs://ns1: nameservice ns1 has no client failover "
                + "proxy provider: set hadoop.dfs.client.failover.proxy.provider.ns1, usually to "
                + "org.apache.hadoop.hdfs.server.namenode.ha.ConfiguredFailoverProxyProvider");
    }

    @Test
    void aNameserviceWithoutNameNodesOrAddressesNamesTheKey() {
        Configuration conf = complete();
        conf.unset("dfs.ha.namenodes.ns1");
        assertThat(Nameservices.check(conf, Set.of(NS1)))
                .contains("hdfs://ns1: nameservice ns1 has no NameNodes: set hadoop.dfs.ha.namenodes.ns1 to their ids, e.g. nn1,nn2");
        conf = complete();
        conf.unset("dfs.namenode.rpc-address.ns1.nn2");
        assertThat(Nameservices.check(conf, Set.of(NS1))).contains("hdfs://ns1: nameservice ns1 has no address for "
                + "NameNode nn2: set hadoop.dfs.namenode.rpc-address.ns1.nn2 to its host:port");
    }

    @Test
    void aNameserviceNotListedIsNamed() {
        Configuration conf = complete();
        conf.set("dfs.nameservices", "other");
        assertThat(Nameservices.check(conf, Set.of(NS1)))
                .contains("hdfs://ns1: nameservice ns1 is not listed in hadoop.dfs.nameservices (other): add it there");
    }

    @Test
    void anUnknownAuthorityThatDoesNotResolveIsNamedAsSuch() {
        assertThat(Nameservices.unknown(complete(), URI.create("hdfs://ns9.invalid"))).hasValueSatisfying(text -> assertThat(text)
                .startsWith("ns9.invalid is neither a nameservice of hadoop.dfs.nameservices (ns1) nor a host name that resolves")
                .contains("hadoop.dfs.client.failover.proxy.provider.ns9.invalid"));
        assertThat(Nameservices.unknown(complete(), NS1)).as("a configured nameservice").isEmpty();
        assertThat(Nameservices.unknown(complete(), URI.create("hdfs://localhost"))).as("a host that resolves").isEmpty();
        assertThat(Nameservices.unknown(complete(), URI.create("hdfs://ns9.invalid:8020"))).as("with a port: a host").isEmpty();
    }

    private static Configuration complete() {
        Configuration conf = new Configuration(false);
        conf.set("dfs.nameservices", "ns1");
        conf.set("dfs.ha.namenodes.ns1", "nn1, nn2");
        conf.set("dfs.namenode.rpc-address.ns1.nn1", "nn1.example.com:8020");
        conf.set("dfs.namenode.rpc-address.ns1.nn2", "nn2.example.com:8020");
        conf.set("dfs.client.failover.proxy.provider.ns1", Nameservices.CONFIGURED_FAILOVER);
        return conf;
    }
}
