package io.tokenhost.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Whether this host starts as one of several managers (high availability): its remote
 * configuration {@code conf/io.tokenhost.remote.cfg} has {@code role=manager} and a {@code
 * ha.zookeeper.quorum}. Then the token manager starts as a standby (framework property {@value
 * #PROPERTY}) and obtains nothing until the election makes it the leader, even for providers that
 * appear before the remote bundle reads its configuration. The remote bundle checks the keys
 * themselves; an unreadable file here just means "no".
 */
final class HaAtStart {

    /** The framework property the host core reads (TokenManagerComponent.START_AS_STANDBY). */
    static final String PROPERTY = "tokenhost.manager.start-as-standby";
    static final String REMOTE_CFG = "io.tokenhost.remote.cfg";

    private HaAtStart() {
    }

    static boolean configured(Path confDir) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(confDir.resolve(REMOTE_CFG), StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
        return "manager".equalsIgnoreCase(p.getProperty("role", "").trim())
                && !p.getProperty("ha.zookeeper.quorum", "").isBlank();
    }
}
