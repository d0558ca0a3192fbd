package io.tokenhost.hadoop.agent;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;

/**
 * The JVM's Hadoop login user, through the client's own Hadoop classes: whether it has logged in
 * yet, and adding tokens to it ({@code UserGroupInformation.getLoginUser().addCredentials}). Tokens
 * of the same alias (Hadoop's token files alias them by service) replace the older ones, so the
 * renewed token is the one the client's next connection uses.
 */
final class LoginUserTokens {

    /**
     * The login user if the client has logged in already, else null. Read from UGI's static field
     * so that the agent never triggers the login itself: a client that sets its Hadoop
     * configuration programmatically ({@code UserGroupInformation.setConfiguration}) must log in
     * with it, not with a default one the agent would force earlier.
     */
    UserGroupInformation loggedInUser() throws IOException {
        Object value = loginUserField();
        if (value instanceof AtomicReference<?> ref) {
            value = ref.get();
        }
        return value instanceof UserGroupInformation ugi ? ugi : null;
    }

    private static Object loginUserField() throws IOException {
        for (String name : List.of("loginUserRef", "loginUser")) { // Hadoop 3.3+, earlier releases
            try {
                Field field = UserGroupInformation.class.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(null);
            } catch (NoSuchFieldException e) {
                // the other name
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IOException("cannot see whether Hadoop's login user exists: " + e, null);
            }
        }
        // An unknown Hadoop: fall back to the public API, which logs in if nobody has yet.
        return UserGroupInformation.getLoginUser();
    }

    /** Adds the tokens of one file version to the user; returns one description per token (never its bytes). */
    List<String> add(UserGroupInformation user, TokenFileVersion version) throws IOException {
        Credentials credentials = new Credentials();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(version.bytes()))) {
            credentials.readTokenStorageStream(in);
        } catch (IOException | RuntimeException e) {
            throw new IOException("not a Hadoop token file (" + version + "): " + e.getClass().getSimpleName(), null);
        }
        user.addCredentials(credentials);
        List<String> described = new ArrayList<>();
        for (Token<?> token : credentials.getAllTokens()) {
            described.add(token.getKind() + " for " + token.getService() + " (identifier "
                    + TokenFileVersion.fingerprint(token.getIdentifier()) + ")");
        }
        return described;
    }
}
