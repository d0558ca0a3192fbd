package io.tokenhost.hadoop.support;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.io.DataOutputBuffer;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.apache.hadoop.security.token.delegation.AbstractDelegationTokenIdentifier;

/**
 * Hadoop's standard token-storage format ({@code Credentials.writeTokenStorageToStream}), the
 * bytes the host distributes and the format of {@code HADOOP_TOKEN_FILE_LOCATION} files; and a
 * description of tokens that never shows their identifier or password bytes.
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

    /** Parses token-storage bytes; a clear error (without the bytes) when they are not that format. */
    public static Credentials parse(byte[] bytes) throws IOException {
        Credentials credentials = new Credentials();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            credentials.readTokenStorageStream(in);
        } catch (IOException | RuntimeException e) {
            throw new IOException("not Hadoop token storage (" + bytes.length + " bytes): "
                    + e.getClass().getSimpleName(), null);
        }
        return credentials;
    }

    /** One line per token: kind, service, owner, real user, renewer, sequence number, dates. */
    public static List<String> describe(Credentials credentials) {
        List<String> lines = new ArrayList<>();
        for (Token<? extends TokenIdentifier> token : credentials.getAllTokens()) {
            lines.add(describe(token));
        }
        return lines;
    }

    public static String describe(Token<? extends TokenIdentifier> token) {
        StringBuilder text = new StringBuilder();
        text.append(token.getKind()).append(" for ").append(token.getService());
        AbstractDelegationTokenIdentifier id = identifier(token);
        if (id != null) {
            text.append(" (owner=").append(id.getOwner());
            if (id.getRealUser() != null && !id.getRealUser().toString().isEmpty()) {
                text.append(", realUser=").append(id.getRealUser());
            }
            text.append(", renewer=").append(id.getRenewer())
                    .append(", seq=").append(id.getSequenceNumber())
                    .append(", issued=").append(Instant.ofEpochMilli(id.getIssueDate()))
                    .append(", maxDate=").append(Instant.ofEpochMilli(id.getMaxDate()))
                    .append(')');
        }
        return text.toString();
    }

    /** The delegation-token identifier, or null when the token is of another kind or unreadable. */
    public static AbstractDelegationTokenIdentifier identifier(Token<? extends TokenIdentifier> token) {
        try {
            TokenIdentifier id = token.decodeIdentifier();
            return id instanceof AbstractDelegationTokenIdentifier d ? d : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
