package io.tokenhost.sandbox.hbase;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * {@code main(confDir, hdfsFile, table, row)}: reads an HDFS file and an HBase row and prints them.
 * Run in its own JVM ({@link ReaderJvm}) with no keytab and no Kerberos ticket: the only credentials
 * are what {@code HADOOP_TOKEN_FILE_LOCATION} points at (Hadoop loads it into the login user, and
 * HBase's client picks its {@code HBASE_AUTH_TOKEN} by cluster id). Exit status 0 when both reads
 * worked, 2 when one was refused (both are always tried).
 */
public final class TokenOnlyReader {

    private TokenOnlyReader() {
    }

    public static void main(String[] args) throws Exception {
        Configuration conf = HBaseConfiguration.create();
        conf.addResource(new Path(new java.io.File(args[0], "core-site.xml").toURI()));
        conf.addResource(new Path(new java.io.File(args[0], "hbase-site.xml").toURI()));
        UserGroupInformation.setConfiguration(conf);
        UserGroupInformation user = UserGroupInformation.getCurrentUser();
        System.out.println("reader: user " + user.getUserName() + ", " + user.getCredentials().numberOfTokens()
                + " token(s) from HADOOP_TOKEN_FILE_LOCATION, Kerberos credentials: " + user.hasKerberosCredentials());
        boolean ok = true;
        try (FileSystem fs = FileSystem.newInstance(conf); InputStream in = fs.open(new Path(args[1]))) {
            System.out.println("reader: hdfs read " + args[1] + ": " + new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        } catch (Exception e) {
            System.out.println("reader: hdfs refused: " + args[1] + ": " + describe(e));
            ok = false;
        }
        try (Connection connection = ConnectionFactory.createConnection(conf);
                Table table = connection.getTable(TableName.valueOf(args[2]))) {
            Result result = table.get(new Get(Bytes.toBytes(args[3])));
            System.out.println("reader: hbase read " + args[2] + "/" + args[3] + ": "
                    + Bytes.toString(result.getValue(Bytes.toBytes("f"), Bytes.toBytes("q"))));
        } catch (Exception e) {
            System.out.println("reader: hbase refused: " + args[2] + "/" + args[3] + ": " + describe(e));
            ok = false;
        }
        System.exit(ok ? 0 : 2);
    }

    private static String describe(Exception e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int newline = message.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (newline < 0 ? message : message.substring(0, newline));
    }
}
