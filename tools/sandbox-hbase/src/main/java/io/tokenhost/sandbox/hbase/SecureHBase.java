package io.tokenhost.sandbox.hbase;

import io.tokenhost.itests.support.TcpRelay;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.HBaseTestingUtility;
import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.security.access.AccessControlClient;
import org.apache.hadoop.hbase.security.access.Permission;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.hadoop.minikdc.MiniKdc;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * A MiniKdc, a Kerberos-secured HDFS and a Kerberos-secured HBase on it, in this JVM: the servers log
 * in as {@code hbase/localhost} (HDFS and HBase, the superuser of both), the {@code TokenProvider}
 * coprocessor hands out authentication tokens, the {@code AccessController} checks ACLs. User
 * {@code client} (keytab for the token host) may read table {@value #TABLE} (row {@value #ROW}) and
 * the HDFS file {@value #FILE}, nobody else but the superuser. Tokens expire {@code tokenLifetime}
 * after they are issued. ZooKeeper is also reachable through a switch ({@link #zooKeeperSwitchPort()}),
 * so that a process configured with it sees an outage when {@link #stopZooKeeperSwitch()} is called.
 */
public final class SecureHBase implements AutoCloseable {

    public static final String CLIENT = "client";
    public static final String TABLE = "tokens";
    public static final String ROW = "r1";
    public static final String CELL = "hello from secure HBase";
    public static final String FILE = "/user/client/hello.txt";
    public static final String CONTENT = "hello from secure HDFS";

    private final Path dir;
    private final MiniKdc kdc;
    private final HBaseTestingUtility util;
    private final Path clientKeytab;
    private final TcpRelay zooKeeperSwitch;

    private SecureHBase(Path dir, MiniKdc kdc, HBaseTestingUtility util, Path clientKeytab) throws IOException {
        this.dir = dir;
        this.kdc = kdc;
        this.util = util;
        this.clientKeytab = clientKeytab;
        this.zooKeeperSwitch = new TcpRelay(zooKeeperPort());
        zooKeeperSwitch.start();
    }

    public static SecureHBase start(Path dir, Duration tokenLifetime) throws Exception {
        Files.createDirectories(dir.resolve("kdc"));
        Properties kdcConf = MiniKdc.createConf();
        kdcConf.setProperty(MiniKdc.DEBUG, "false");
        MiniKdc kdc = new MiniKdc(kdcConf, dir.resolve("kdc").toFile());
        kdc.start();
        System.setProperty("java.security.krb5.conf", kdc.getKrb5conf().getAbsolutePath());
        String realm = kdc.getRealm();
        File serverKeytab = dir.resolve("hbase.keytab").toFile();
        kdc.createPrincipal(serverKeytab, "hbase/localhost", "HTTP/localhost");
        Path clientKeytab = dir.resolve("client.keytab");
        kdc.createPrincipal(clientKeytab.toFile(), CLIENT);

        Configuration conf = HBaseConfiguration.create();
        secure(conf, realm, serverKeytab, tokenLifetime);
        HBaseTestingUtility util = new HBaseTestingUtility(conf);
        util.getConfiguration().set("hbase.rootdir.perms", "700");
        UserGroupInformation.setConfiguration(conf);
        UserGroupInformation.loginUserFromKeytab("hbase/localhost@" + realm, serverKeytab.getAbsolutePath());
        util.startMiniCluster(1);

        SecureHBase cluster = new SecureHBase(dir, kdc, util, clientKeytab);
        cluster.prepareData();
        cluster.writeClientConf();
        return cluster;
    }

    /** Kerberos for HDFS and HBase (one service principal), tokens, ACLs; as HBase's own secure tests set it up. */
    private static void secure(Configuration conf, String realm, File keytab, Duration tokenLifetime) {
        String principal = "hbase/localhost@" + realm;
        String path = keytab.getAbsolutePath();
        conf.set("hadoop.security.authentication", "kerberos");
        conf.setBoolean("hadoop.security.authorization", true);
        conf.set("hbase.security.authentication", "kerberos");
        conf.setBoolean("hbase.security.authorization", true);
        conf.set("hbase.master.kerberos.principal", principal);
        conf.set("hbase.master.keytab.file", path);
        conf.set("hbase.regionserver.kerberos.principal", principal);
        conf.set("hbase.regionserver.keytab.file", path);
        conf.set("dfs.namenode.kerberos.principal", principal);
        conf.set("dfs.namenode.keytab.file", path);
        conf.set("dfs.datanode.kerberos.principal", principal);
        conf.set("dfs.datanode.keytab.file", path);
        conf.set("dfs.web.authentication.kerberos.principal", "HTTP/localhost@" + realm);
        conf.set("dfs.web.authentication.kerberos.keytab", path);
        conf.setBoolean("dfs.block.access.token.enable", true);
        conf.set("dfs.data.transfer.protection", "authentication");
        conf.set("dfs.http.policy", "HTTP_ONLY");
        conf.setBoolean("ignore.secure.ports.for.testing", true);
        conf.set("hbase.superuser", "hbase");
        conf.set("hbase.coprocessor.master.classes", "org.apache.hadoop.hbase.security.access.AccessController");
        conf.set("hbase.coprocessor.region.classes", "org.apache.hadoop.hbase.security.token.TokenProvider,"
                + "org.apache.hadoop.hbase.security.access.AccessController");
        conf.set("hbase.coprocessor.regionserver.classes", "org.apache.hadoop.hbase.security.access.AccessController");
        conf.setLong("hbase.auth.token.max.lifetime", tokenLifetime.toMillis());
        conf.set("hadoop.proxyuser." + CLIENT + ".hosts", "*");
        conf.set("hadoop.proxyuser." + CLIENT + ".groups", "*");
        conf.set("hbase.master.info.port", "-1");
        conf.set("hbase.regionserver.info.port", "-1");
        conf.set("hadoop.kerberos.min.seconds.before.relogin", "1");
    }

    /** The table, its row and the ACL granting {@code client} READ; the HDFS file only {@code client} may read. */
    private void prepareData() throws Exception {
        TableName table = TableName.valueOf(TABLE);
        try (Table t = util.createTable(table, "f")) {
            t.put(new Put(Bytes.toBytes(ROW)).addColumn(Bytes.toBytes("f"), Bytes.toBytes("q"), Bytes.toBytes(CELL)));
        }
        try (Connection connection = ConnectionFactory.createConnection(util.getConfiguration())) {
            AccessControlClient.grant(connection, table, CLIENT, null, null, Permission.Action.READ);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("granting READ on " + TABLE + " to " + CLIENT + " failed", e);
        }
        FileSystem fs = util.getDFSCluster().getFileSystem();
        org.apache.hadoop.fs.Path home = new org.apache.hadoop.fs.Path("/user/" + CLIENT);
        fs.mkdirs(home, new FsPermission((short) 0700));
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(FILE);
        try (OutputStream out = fs.create(file)) {
            out.write(CONTENT.getBytes(StandardCharsets.UTF_8));
        }
        fs.setPermission(file, new FsPermission((short) 0600));
        fs.setOwner(file, CLIENT, CLIENT);
        fs.setOwner(home, CLIENT, CLIENT);
    }

    /** {@code core-site.xml} and {@code hbase-site.xml} for token-only clients (no secrets), with short client retries. */
    private void writeClientConf() throws IOException {
        Configuration server = util.getConfiguration();
        Configuration core = new Configuration(false);
        core.set("fs.defaultFS", util.getDFSCluster().getURI().toString());
        core.set("hadoop.security.authentication", "kerberos");
        core.set("dfs.namenode.kerberos.principal", server.get("dfs.namenode.kerberos.principal"));
        core.set("dfs.data.transfer.protection", "authentication");
        Configuration hbase = new Configuration(false);
        for (Map.Entry<String, String> e : hbaseClientKeys(zooKeeperPort()).entrySet()) {
            hbase.set(e.getKey(), e.getValue());
        }
        hbase.set("hbase.client.retries.number", "2");
        hbase.set("hbase.rpc.timeout", "5000");
        hbase.set("hbase.client.operation.timeout", "10000");
        Files.createDirectories(clientConfDir());
        try (OutputStream out = Files.newOutputStream(clientConfDir().resolve("core-site.xml"))) {
            core.writeXml(out);
        }
        try (OutputStream out = Files.newOutputStream(clientConfDir().resolve("hbase-site.xml"))) {
            hbase.writeXml(out);
        }
    }

    /** The HBase client settings of this cluster, with ZooKeeper at {@code zooKeeperPort}. */
    public Map<String, String> hbaseClientKeys(int zooKeeperPort) {
        Configuration server = util.getConfiguration();
        return Map.of(
                "hbase.zookeeper.quorum", "127.0.0.1",
                "hbase.zookeeper.property.clientPort", Integer.toString(zooKeeperPort),
                "zookeeper.znode.parent", server.get(HConstants.ZOOKEEPER_ZNODE_PARENT, "/hbase"),
                "hbase.security.authentication", "kerberos",
                "hbase.master.kerberos.principal", server.get("hbase.master.kerberos.principal"),
                "hbase.regionserver.kerberos.principal", server.get("hbase.regionserver.kerberos.principal"));
    }

    /**
     * Restarts HBase (master and region server; ZooKeeper and HDFS stay) without the
     * {@code TokenProvider} coprocessor: a secure cluster that hands out no tokens.
     */
    public void restartWithoutTokenProvider() throws Exception {
        util.shutdownMiniHBaseCluster();
        util.getConfiguration().set("hbase.coprocessor.region.classes", "org.apache.hadoop.hbase.security.access.AccessController");
        util.startMiniHBaseCluster(org.apache.hadoop.hbase.StartMiniClusterOption.builder().build());
    }

    public int zooKeeperPort() {
        return util.getZkCluster().getClientPort();
    }

    public int zooKeeperSwitchPort() {
        return zooKeeperSwitch.port();
    }

    /** A ZooKeeper outage for processes configured with {@link #zooKeeperSwitchPort()}: connections refused. */
    public void stopZooKeeperSwitch() throws InterruptedException {
        zooKeeperSwitch.stop();
    }

    public void startZooKeeperSwitch() throws IOException {
        zooKeeperSwitch.start();
    }

    /** Directory with core-site.xml and hbase-site.xml for clients of both clusters. */
    public Path clientConfDir() {
        return dir.resolve("client-conf");
    }

    public Path krb5Conf() {
        return kdc.getKrb5conf().toPath();
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

    /** Creates another principal and keytab. */
    public Path createKeytab(String principal) throws Exception {
        Path keytab = dir.resolve(principal.replace('/', '_') + ".keytab");
        kdc.createPrincipal(keytab.toFile(), principal);
        return keytab;
    }

    /** Runs code as the superuser (the login user of this JVM). */
    public <T> T asSuperuser(PrivilegedExceptionAction<T> action) throws Exception {
        return UserGroupInformation.getLoginUser().doAs(action);
    }

    public Configuration conf() {
        return util.getConfiguration();
    }

    @Override
    public void close() throws Exception {
        try {
            zooKeeperSwitch.close();
            util.shutdownMiniCluster();
        } finally {
            kdc.stop();
        }
    }
}
