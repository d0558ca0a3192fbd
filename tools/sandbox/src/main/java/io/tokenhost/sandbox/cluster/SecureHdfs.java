package io.tokenhost.sandbox.cluster;

import io.tokenhost.itests.support.TcpRelay;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.minikdc.MiniKdc;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * A MiniKdc and a Kerberos-secured MiniDFSCluster in this JVM: principals {@code hdfs/localhost}
 * and {@code HTTP/localhost} for the cluster, {@code client} (keytab for the token host) and a
 * file {@code /user/client/hello.txt} that only an authenticated {@code client} may read.
 *
 * <p>Kerberos configuration is JVM-global ({@code java.security.krb5.conf}), so start one of these
 * per JVM, before any other Kerberos use; the token host runs in its own process.
 */
public final class SecureHdfs implements AutoCloseable {

    public static final String CLIENT = "client";
    public static final String PROXY_USER = "alice";
    public static final String FILE = "/user/client/hello.txt";
    public static final String PROXY_FILE = "/user/alice/hello.txt";
    public static final String CONTENT = "hello from secure HDFS\n";

    private final Path dir;
    private final MiniKdc kdc;
    private final MiniDFSCluster cluster;
    private final Path clientKeytab;
    private final Configuration conf;
    private final TcpRelay kdcSwitch;
    private final Path switchedKrb5Conf;

    private SecureHdfs(Path dir, MiniKdc kdc, MiniDFSCluster cluster, Path clientKeytab, Configuration conf) throws IOException {
        this.kdcSwitch = new TcpRelay(kdc.getPort());
        kdcSwitch.start();
        this.switchedKrb5Conf = dir.resolve("krb5-switched.conf");
        String krb5 = Files.readString(kdc.getKrb5conf().toPath());
        Files.writeString(switchedKrb5Conf, krb5.replace(":" + kdc.getPort(), ":" + kdcSwitch.port()));
        this.dir = dir;
        this.kdc = kdc;
        this.cluster = cluster;
        this.clientKeytab = clientKeytab;
        this.conf = conf;
    }

    /**
     * Starts the KDC and the cluster.
     *
     * @param renewInterval the NameNode's delegation-token renew interval (tokens expire this long
     *     after their last renewal)
     * @param ticketLifetime the KDC's maximum ticket lifetime
     */
    public static SecureHdfs start(Path dir, Duration renewInterval, Duration ticketLifetime) throws Exception {
        Files.createDirectories(dir);
        Properties kdcConf = MiniKdc.createConf();
        kdcConf.setProperty(MiniKdc.MAX_TICKET_LIFETIME, Long.toString(ticketLifetime.toSeconds()));
        kdcConf.setProperty(MiniKdc.DEBUG, "false");
        MiniKdc kdc = new MiniKdc(kdcConf, dir.resolve("kdc").toFile());
        Files.createDirectories(dir.resolve("kdc"));
        kdc.start();

        String realm = kdc.getRealm();
        File hdfsKeytab = dir.resolve("hdfs.keytab").toFile();
        kdc.createPrincipal(hdfsKeytab, "hdfs/localhost", "HTTP/localhost");
        Path clientKeytab = dir.resolve("client.keytab");
        kdc.createPrincipal(clientKeytab.toFile(), CLIENT);

        Configuration conf = secureConf(realm, hdfsKeytab, renewInterval);
        String hdfsPrincipal = "hdfs/localhost@" + realm;
        UserGroupInformation.setConfiguration(conf);
        UserGroupInformation.loginUserFromKeytab(hdfsPrincipal, hdfsKeytab.getAbsolutePath());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, dir.resolve("dfs").toFile())
                .numDataNodes(1).build();
        cluster.waitActive();

        try (FileSystem fs = cluster.getFileSystem()) {
            org.apache.hadoop.fs.Path home = new org.apache.hadoop.fs.Path("/user/" + CLIENT);
            fs.mkdirs(home, new FsPermission((short) 0700));
            fs.setOwner(home, CLIENT, CLIENT);
            org.apache.hadoop.fs.Path aliceHome = new org.apache.hadoop.fs.Path("/user/" + PROXY_USER);
            fs.mkdirs(aliceHome, new FsPermission((short) 0700));
            fs.setOwner(aliceHome, PROXY_USER, PROXY_USER);
            fs.setPermission(new org.apache.hadoop.fs.Path("/user"), new FsPermission((short) 0755));
            org.apache.hadoop.fs.Path aliceFile = new org.apache.hadoop.fs.Path(PROXY_FILE);
            try (OutputStream out = fs.create(aliceFile)) {
                out.write(("hello " + PROXY_USER + "\n").getBytes(StandardCharsets.UTF_8));
            }
            fs.setOwner(aliceFile, PROXY_USER, PROXY_USER);
            fs.setPermission(aliceFile, new FsPermission((short) 0600));
        }
        SecureHdfs hdfs = new SecureHdfs(dir, kdc, cluster, clientKeytab, conf);
        hdfs.asClient(fs -> {
            try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(FILE))) {
                out.write(CONTENT.getBytes(StandardCharsets.UTF_8));
            }
            fs.setPermission(new org.apache.hadoop.fs.Path(FILE), new FsPermission((short) 0600));
            return null;
        });
        hdfs.writeClientConf();
        return hdfs;
    }

    /**
     * The settings of a Kerberos-secured mini cluster whose NameNode and DataNode log in as
     * {@code hdfs/localhost@realm} (and the web servers as {@code HTTP/localhost@realm}) from one
     * keytab, issuing delegation tokens that expire {@code renewInterval} after each renewal; user
     * {@code client} may impersonate {@value #PROXY_USER}. A new object for each cluster: a
     * MiniDFSCluster writes its own addresses into it.
     */
    public static Configuration secureConf(String realm, File hdfsKeytab, Duration renewInterval) {
        Configuration conf = new HdfsConfiguration();
        conf.set(CommonConfigurationKeysPublic.HADOOP_SECURITY_AUTHENTICATION, "kerberos");
        conf.setBoolean(CommonConfigurationKeysPublic.HADOOP_SECURITY_AUTHORIZATION, true);
        String hdfsPrincipal = "hdfs/localhost@" + realm;
        conf.set(DFSConfigKeys.DFS_NAMENODE_KERBEROS_PRINCIPAL_KEY, hdfsPrincipal);
        conf.set(DFSConfigKeys.DFS_NAMENODE_KEYTAB_FILE_KEY, hdfsKeytab.getAbsolutePath());
        conf.set(DFSConfigKeys.DFS_DATANODE_KERBEROS_PRINCIPAL_KEY, hdfsPrincipal);
        conf.set(DFSConfigKeys.DFS_DATANODE_KEYTAB_FILE_KEY, hdfsKeytab.getAbsolutePath());
        conf.set(DFSConfigKeys.DFS_WEB_AUTHENTICATION_KERBEROS_PRINCIPAL_KEY, "HTTP/localhost@" + realm);
        conf.set(DFSConfigKeys.DFS_WEB_AUTHENTICATION_KERBEROS_KEYTAB_KEY, hdfsKeytab.getAbsolutePath());
        conf.setBoolean(DFSConfigKeys.DFS_BLOCK_ACCESS_TOKEN_ENABLE_KEY, true);
        conf.set(DFSConfigKeys.DFS_DATA_TRANSFER_PROTECTION_KEY, "authentication");
        conf.set(DFSConfigKeys.DFS_HTTP_POLICY_KEY, "HTTP_ONLY");
        conf.setBoolean("ignore.secure.ports.for.testing", true);
        conf.setLong(DFSConfigKeys.DFS_NAMENODE_DELEGATION_TOKEN_RENEW_INTERVAL_KEY, renewInterval.toMillis());
        conf.set("hadoop.proxyuser." + CLIENT + ".hosts", "*");
        conf.set("hadoop.proxyuser." + CLIENT + ".groups", "*");
        conf.set("hadoop.proxyuser." + CLIENT + ".users", PROXY_USER);
        conf.set("hadoop.kerberos.min.seconds.before.relogin", "1");

        return conf;
    }

    /** Runs code as {@code client}, logged in from its keytab, with a file system of its own. */
    public <T> T asClient(FsCall<T> call) throws Exception {
        UserGroupInformation client = UserGroupInformation.loginUserFromKeytabAndReturnUGI(
                CLIENT + "@" + kdc.getRealm(), clientKeytab.toString());
        return client.doAs((PrivilegedExceptionAction<T>) () -> {
            try (FileSystem fs = FileSystem.newInstance(defaultFs(), conf)) {
                return call.call(fs);
            }
        });
    }

    /** Code run with a file system. */
    @FunctionalInterface
    public interface FsCall<T> {
        T call(FileSystem fs) throws Exception;
    }

    /** A {@code core-site.xml} + {@code hdfs-site.xml} directory a client of this cluster needs (no secrets). */
    private void writeClientConf() throws IOException {
        Path confDir = clientConfDir();
        Files.createDirectories(confDir);
        Configuration client = new Configuration(false);
        client.set("fs.defaultFS", defaultFs().toString());
        client.set(CommonConfigurationKeysPublic.HADOOP_SECURITY_AUTHENTICATION, "kerberos");
        client.set(DFSConfigKeys.DFS_NAMENODE_KERBEROS_PRINCIPAL_KEY, conf.get(DFSConfigKeys.DFS_NAMENODE_KERBEROS_PRINCIPAL_KEY));
        client.set(DFSConfigKeys.DFS_DATA_TRANSFER_PROTECTION_KEY, "authentication");
        client.set("hadoop.kerberos.min.seconds.before.relogin", "1");
        try (OutputStream out = Files.newOutputStream(confDir.resolve("core-site.xml"))) {
            client.writeXml(out);
        }
        try (OutputStream out = Files.newOutputStream(confDir.resolve("hdfs-site.xml"))) {
            new Configuration(false).writeXml(out);
        }
    }

    public Path clientConfDir() {
        return dir.resolve("hadoop-conf");
    }

    public URI defaultFs() {
        return cluster.getURI();
    }

    public String realm() {
        return kdc.getRealm();
    }

    public String clientPrincipal() {
        return CLIENT + "@" + kdc.getRealm();
    }

    public Path clientKeytab() {
        return clientKeytab;
    }

    /**
     * The krb5.conf for processes outside this JVM (the token host, readers): its KDC address goes
     * through a switch, so that {@link #stopKdc()} is an outage for them only.
     */
    public Path krb5Conf() {
        return switchedKrb5Conf;
    }

    /** Logs {@code client} in from its keytab and writes its TGT to a Kerberos ticket cache (like {@code kinit -kt}). */
    public Path writeClientTicketCache(Path cache) throws Exception {
        org.apache.kerby.kerberos.kerb.client.KrbClient krb =
                new org.apache.kerby.kerberos.kerb.client.KrbClient(kdc.getKrb5conf().getParentFile());
        krb.init();
        org.apache.kerby.kerberos.kerb.type.ticket.TgtTicket tgt = krb.requestTgt(clientPrincipal(), clientKeytab.toFile());
        Files.createDirectories(cache.getParent());
        Files.deleteIfExists(cache);
        krb.storeTicket(tgt, cache.toFile());
        Files.setPosixFilePermissions(cache, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return cache;
    }

    /** Creates another principal and keytab (e.g. a principal the NameNode does not know as a user). */
    public Path createKeytab(String principal) throws Exception {
        Path keytab = dir.resolve(principal.replace('/', '_') + ".keytab");
        kdc.createPrincipal(keytab.toFile(), principal);
        return keytab;
    }

    /** A KDC outage for processes using {@link #krb5Conf()}: connections refused. */
    public void stopKdc() throws InterruptedException {
        kdcSwitch.stop();
    }

    /** Ends the outage, on the same port. */
    public void restartKdc() throws IOException {
        kdcSwitch.start();
    }

    public Configuration conf() {
        return conf;
    }

    @Override
    public void close() {
        try {
            kdcSwitch.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            cluster.shutdown();
        } finally {
            kdc.stop();
        }
    }
}
