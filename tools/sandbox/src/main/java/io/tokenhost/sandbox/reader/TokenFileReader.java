package io.tokenhost.sandbox.reader;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * {@code main(confDir, file)}: reads one file from HDFS and prints it. Run in its own JVM with no
 * keytab and no Kerberos ticket: the only credential is what {@code HADOOP_TOKEN_FILE_LOCATION}
 * points at (Hadoop loads it into the login user). Exit status 0 when the read worked, 2 when it
 * was refused.
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
        try (FileSystem fs = FileSystem.newInstance(URI.create(conf.get("fs.defaultFS")), conf);
                InputStream in = fs.open(new Path(args[1]))) {
            String content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            System.out.println("reader: read " + args[1] + ": " + content.trim());
        } catch (Exception e) {
            System.out.println("reader: refused: " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
            System.exit(2);
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
