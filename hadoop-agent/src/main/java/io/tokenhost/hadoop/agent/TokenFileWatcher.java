package io.tokenhost.hadoop.agent;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Optional;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * One check of the token file, run every poll interval: when a version this login user has not got
 * yet is there, its tokens are added to the user. Each change of state (file missing, unreadable,
 * installed) is logged once; tokens are described by kind, service and fingerprint only.
 */
final class TokenFileWatcher implements Runnable {

    private static final Logger LOG = System.getLogger(TokenFileWatcher.class.getName());

    private final AgentOptions options;
    private final LoginUserTokens tokens;
    private UserGroupInformation installedTo;
    private String installed;
    private String lastProblem;

    TokenFileWatcher(AgentOptions options, LoginUserTokens tokens) {
        this.options = options;
        this.tokens = tokens;
    }

    @Override
    public void run() {
        try {
            UserGroupInformation user = tokens.loggedInUser();
            if (user == null) {
                return; // the login reads HADOOP_TOKEN_FILE_LOCATION itself; the agent adds what comes after
            }
            Optional<TokenFileVersion> version = TokenFileVersion.read(options.file());
            if (version.isEmpty()) {
                problem("token file " + options.file() + " does not exist (withdrawn, or not written yet); "
                        + "the tokens installed last stay until they expire");
                return;
            }
            if (user == installedTo && version.get().fingerprint().equals(installed)) {
                return;
            }
            var described = tokens.add(user, version.get());
            installedTo = user;
            installed = version.get().fingerprint();
            lastProblem = null;
            LOG.log(Level.INFO, "tokenhost-hadoop-agent: added {0} token(s) of {1} to Hadoop login user {2}: {3}",
                    described.size(), version.get(), user.getUserName(), described);
        } catch (Exception | LinkageError e) {
            problem("cannot install the tokens of " + options.file() + ": " + e);
        }
    }

    private void problem(String text) {
        if (!text.equals(lastProblem)) {
            lastProblem = text;
            LOG.log(Level.WARNING, "tokenhost-hadoop-agent: " + text);
        }
    }
}
