package io.tokenhost.hbase.common;

import java.io.IOException;
import org.apache.hadoop.io.DataOutputBuffer;
import org.apache.hadoop.security.Credentials;

/**
 * Hadoop's standard token-storage format ({@code Credentials.writeTokenStorageToStream}): the bytes
 * the host distributes, the format of {@code HADOOP_TOKEN_FILE_LOCATION} files, and what the Hadoop
 * bundle's receiver merges with the {@code hadoopfs} tokens into one file.
 */
public final class TokenStorage {

    private TokenStorage() {
    }

    public static byte[] serialize(Credentials credentials) throws IOException {
        try (DataOutputBuffer out = new DataOutputBuffer()) {
            credentials.writeTokenStorageToStream(out);
            byte[] bytes = new byte[out.getLength()];
            System.arraycopy(out.getData(), 0, bytes, 0, out.getLength());
            return bytes;
        }
    }
}
