package io.tokenhost.itests.hadoop;

import java.io.File;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * An ordinary long-running Hadoop client, {@code main(confDir, file)}: nothing of Tokenhost in it.
 * It logs in once (so Hadoop reads {@code HADOOP_TOKEN_FILE_LOCATION} once), then every second opens
 * a new {@link FileSystem}, reads the file and closes it, printing {@code OK} or
 * {@code FAIL <exception>: <first line>}. A new file system makes a new NameNode connection, which
 * authenticates with the tokens the login user holds at that moment. Runs until killed.
 */
public final class LongRunningHdfsClient {

    private LongRunningHdfsClient() {
    }

    public static void main(String[] args) throws Exception {
        Configuration conf = new Configuration();
        conf.addResource(new Path(new File(args[0], "core-site.xml").toURI()));
        conf.addResource(new Path(new File(args[0], "hdfs-site.xml").toURI()));
        UserGroupInformation.setConfiguration(conf);
        UserGroupInformation user = UserGroupInformation.getCurrentUser();
        System.out.println("started as " + user.getUserName() + " with " + user.getCredentials().numberOfTokens()
                + " token(s), Kerberos credentials: " + user.hasKerberosCredentials());
        URI uri = URI.create(conf.get("fs.defaultFS"));
        while (true) {
            try (FileSystem fs = FileSystem.newInstance(uri, conf); InputStream in = fs.open(new Path(args[1]))) {
                String content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                System.out.println(content.isEmpty() ? "FAIL empty read" : "OK");
            } catch (Exception e) {
                String message = String.valueOf(e.getMessage());
                System.out.println("FAIL " + e.getClass().getSimpleName() + ": " + message.lines().findFirst().orElse(""));
            }
            System.out.flush();
            Thread.sleep(1000);
        }
    }
}
