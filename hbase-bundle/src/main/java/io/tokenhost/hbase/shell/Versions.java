package io.tokenhost.hbase.shell;

/** The versions of the HBase client and of the Hadoop classes inside it, as this bundle loads them. */
final class Versions {

    private Versions() {
    }

    static String describe() {
        return "Hadoop " + org.apache.hadoop.util.VersionInfo.getVersion()
                + ", HBase " + org.apache.hadoop.hbase.util.VersionInfo.getVersion();
    }
}
