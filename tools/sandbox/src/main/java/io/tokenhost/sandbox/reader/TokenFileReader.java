package io.tokenhost.sandbox.reader;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * {@code main(confDir, file...)}: reads files from HDFS and prints them (a file with a scheme and
 * authority from that file system, else from {@code fs.defaultFS}). Run in its own JVM with no
 * keytab and no Kerberos ticket: the only credential is what {@code HADOOP_TOKEN_FILE_LOCATION}
 * points at (Hadoop loads it into the login user). Exit status 0 when every read worked, 2 when
 * one was refused.
 */
public final class TokenFileReader {

    private TokenFileReader() {
    }

    public static void main(String[] args) throws Exception {
        Configuration conf = new Configuration();
        conf.addResource(new Path(new java.io.File(args[0], "core-site.xml").toURI()));
        conf.addResource(new Path(new java.io.File(args[0], "hdfs-site.xml").toURI()));
        UserGroupInformation.setConfiguration(conf);
        UserGroupInformation user = UserGroupInformation.getCurrentUser();
        System.out.println("reader: user " + user.getUserName() + ", " + user.getCredentials().numberOfTokens()
                + " token(s) from HADOOP_TOKEN_FILE_LOCATION, Kerberos credentials: " + user.hasKerberosCredentials());
        for (int i = 1; i < args.length; i++) {
            // A path with a scheme and authority (hdfs://ns1/..., hdfs://host:port/...) is read from
            // that file system, else from fs.defaultFS: one JVM reads from several clusters.
            Path path = new Path(args[i]);
            URI uri = path.toUri().getScheme() != null ? path.toUri() : URI.create(conf.get("fs.defaultFS"));
            try (FileSystem fs = FileSystem.newInstance(uri, conf); InputStream in = fs.open(path)) {
                String content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                System.out.println("reader: read " + args[i] + ": " + content.trim());
            } catch (Exception e) {
                System.out.println("reader: refused: " + args[i] + ": " + e.getClass().getSimpleName() + ": "
                        + firstLine(e.getMessage()));
                System.exit(2);
            }
        }
        System.exit(0);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
