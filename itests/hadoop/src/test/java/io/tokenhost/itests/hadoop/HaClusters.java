package io.tokenhost.itests.hadoop;

import io.tokenhost.sandbox.cluster.SecureHdfs;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.MiniDFSNNTopology;
import org.apache.hadoop.minikdc.MiniKdc;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * One MiniKdc and two Kerberos-secured HDFS clusters in this JVM: {@value #NAMESERVICE}, a
 * high-availability nameservice of two NameNodes ({@code nn1}, {@code nn2}, on fixed ports so that
 * a NameNode restarts where clients expect it; {@code nn1} active at first) sharing one edit log,
 * and a second, single-NameNode cluster ("cluster b"). Each holds {@value #FILE}, readable only
 * by {@code client}, with content naming its cluster. The client settings below are what a
 * Hadoop client of both needs; the token host gets them as {@code hadoop.<key>} entries.
 */
final class HaClusters implements AutoCloseable {

    static final String NAMESERVICE = "ns1";
    static final String FILE = "/user/client/hello.txt";
    static final String HA_CONTENT = "hello from nameservice ns1";
    static final String OTHER_CONTENT = "hello from cluster b";
    static final String FAILOVER_PROVIDER = "org.apache.hadoop.hdfs.server.namenode.ha.ConfiguredFailoverProxyProvider";

    private final MiniKdc kdc;
    final MiniDFSCluster ha;
    final MiniDFSCluster other;
    private final int[] nnPorts;
    private final URI otherUri;
    private final Path clientKeytab;
    private final Path readerConfDir;

    private HaClusters(MiniKdc kdc, MiniDFSCluster ha, MiniDFSCluster other, int[] nnPorts, Path clientKeytab,
            Path readerConfDir) {
        this.kdc = kdc;
        this.ha = ha;
        this.other = other;
        this.nnPorts = nnPorts;
        this.otherUri = other.getURI();
        this.clientKeytab = clientKeytab;
        this.readerConfDir = readerConfDir;
    }

    static HaClusters start(Path dir, Duration renewInterval) throws Exception {
        Files.createDirectories(dir.resolve("kdc"));
        Properties kdcConf = MiniKdc.createConf();
        kdcConf.setProperty(MiniKdc.DEBUG, "false");
        MiniKdc kdc = new MiniKdc(kdcConf, dir.resolve("kdc").toFile());
        kdc.start();
        MiniDFSCluster ha = null;
        try {
            String realm = kdc.getRealm();
            File hdfsKeytab = dir.resolve("hdfs.keytab").toFile();
            kdc.createPrincipal(hdfsKeytab, "hdfs/localhost", "HTTP/localhost");
            Path clientKeytab = dir.resolve("client.keytab");
            kdc.createPrincipal(clientKeytab.toFile(), SecureHdfs.CLIENT);

            Configuration haConf = SecureHdfs.secureConf(realm, hdfsKeytab, renewInterval);
            // the standby only tails the shared edits (it catches up fully when it becomes active)
            haConf.setBoolean("dfs.ha.standby.checkpoints", false);
            UserGroupInformation.setConfiguration(haConf);
            UserGroupInformation.loginUserFromKeytab("hdfs/localhost@" + realm, hdfsKeytab.getAbsolutePath());
            int[] ports = {freePort(), freePort()};
            MiniDFSNNTopology topology = new MiniDFSNNTopology().addNameservice(new MiniDFSNNTopology.NSConf(NAMESERVICE)
                    .addNN(new MiniDFSNNTopology.NNConf("nn1").setIpcPort(ports[0]))
                    .addNN(new MiniDFSNNTopology.NNConf("nn2").setIpcPort(ports[1])));
            ha = new MiniDFSCluster.Builder(haConf, dir.resolve("ha").toFile()).nnTopology(topology).numDataNodes(1).build();
            ha.waitActive();
            ha.transitionToActive(0);
            populate(ha.getFileSystem(0), HA_CONTENT);

            Configuration otherConf = SecureHdfs.secureConf(realm, hdfsKeytab, renewInterval);
            MiniDFSCluster other = new MiniDFSCluster.Builder(otherConf, dir.resolve("b").toFile()).numDataNodes(1).build();
            other.waitActive();
            populate(other.getFileSystem(), OTHER_CONTENT);

            HaClusters clusters = new HaClusters(kdc, ha, other, ports, clientKeytab, dir.resolve("reader-conf"));
            clusters.writeReaderConf();
            return clusters;
        } catch (Exception | Error e) {
            if (ha != null) {
                ha.shutdown();
            }
            kdc.stop();
            throw e;
        }
    }

    /** As the superuser: {@code /user} (0755), {@code /user/client} (0700) and {@link #FILE} (0600), the last two owned by client. */
    private static void populate(FileSystem fs, String content) throws IOException {
        org.apache.hadoop.fs.Path home = new org.apache.hadoop.fs.Path("/user/" + SecureHdfs.CLIENT);
        fs.mkdirs(home, new FsPermission((short) 0700));
        fs.setOwner(home, SecureHdfs.CLIENT, SecureHdfs.CLIENT);
        fs.setPermission(new org.apache.hadoop.fs.Path("/user"), new FsPermission((short) 0755));
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(FILE);
        try (OutputStream out = fs.create(file)) {
            out.write((content + "\n").getBytes(StandardCharsets.UTF_8));
        }
        fs.setOwner(file, SecureHdfs.CLIENT, SecureHdfs.CLIENT);
        fs.setPermission(file, new FsPermission((short) 0600));
    }

    /**
     * The client settings of nameservice {@value #NAMESERVICE}, Hadoop keys without the bundle's
     * prefix: the NameNode principal, the nameservice, its NameNodes and their addresses, and the
     * client failover proxy provider. NameNodes are tried in the order listed (not shuffled), so
     * that {@code nn1} down means every call meets it first and fails over.
     */
    Map<String, String> nameserviceSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("dfs.namenode.kerberos.principal", "hdfs/localhost@" + kdc.getRealm());
        settings.put("dfs.nameservices", NAMESERVICE);
        settings.put("dfs.ha.namenodes." + NAMESERVICE, "nn1,nn2");
        settings.put("dfs.namenode.rpc-address." + NAMESERVICE + ".nn1", "127.0.0.1:" + nnPorts[0]);
        settings.put("dfs.namenode.rpc-address." + NAMESERVICE + ".nn2", "127.0.0.1:" + nnPorts[1]);
        settings.put("dfs.client.failover.proxy.provider." + NAMESERVICE, FAILOVER_PROVIDER);
        settings.put("dfs.client.failover.random.order", "false");
        return settings;
    }

    /** The same settings as the provider's {@code hadoop.<key>} entries. */
    Map<String, String> nameserviceProviderKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("hadoop.fs.defaultFS", nameserviceUri().toString());
        nameserviceSettings().forEach((key, value) -> keys.put("hadoop." + key, value));
        return keys;
    }

    /** A reader's client configuration: both clusters, {@code fs.defaultFS} the nameservice. */
    private void writeReaderConf() throws IOException {
        Files.createDirectories(readerConfDir);
        Configuration client = new Configuration(false);
        client.set("fs.defaultFS", nameserviceUri().toString());
        client.set("hadoop.security.authentication", "kerberos");
        client.set("dfs.data.transfer.protection", "authentication");
        nameserviceSettings().forEach(client::set);
        try (OutputStream out = Files.newOutputStream(readerConfDir.resolve("core-site.xml"))) {
            client.writeXml(out);
        }
        try (OutputStream out = Files.newOutputStream(readerConfDir.resolve("hdfs-site.xml"))) {
            new Configuration(false).writeXml(out);
        }
    }

    /** A Hadoop configuration of this JVM as a client of both clusters. */
    Configuration clientConf() {
        Configuration conf = new Configuration(false);
        conf.addResource(new org.apache.hadoop.fs.Path(readerConfDir.resolve("core-site.xml").toUri()));
        return conf;
    }

    URI nameserviceUri() {
        return URI.create("hdfs://" + NAMESERVICE);
    }

    /** The second cluster's URI (also while its NameNode is down). */
    URI otherUri() {
        return otherUri;
    }

    Path readerConfDir() {
        return readerConfDir;
    }

    Path krb5Conf() {
        return kdc.getKrb5conf().toPath();
    }

    String clientPrincipal() {
        return SecureHdfs.CLIENT + "@" + kdc.getRealm();
    }

    Path clientKeytab() {
        return clientKeytab;
    }

    /** Runs code as {@code client}, logged in from its keytab. */
    <T> T asClient(PrivilegedExceptionAction<T> action) throws Exception {
        return UserGroupInformation.loginUserFromKeytabAndReturnUGI(clientPrincipal(), clientKeytab.toString()).doAs(action);
    }

    /** The provider configuration of a keytab login as {@code client}, plus extra entries. */
    Map<String, String> keytabLogin(Map<String, String> extra) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("security.kerberos.login.principal", clientPrincipal());
        config.put("security.kerberos.login.keytab", clientKeytab.toString());
        config.putAll(extra);
        return config;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        try {
            other.shutdown();
        } finally {
            try {
                ha.shutdown();
            } finally {
                kdc.stop();
            }
        }
    }
}
