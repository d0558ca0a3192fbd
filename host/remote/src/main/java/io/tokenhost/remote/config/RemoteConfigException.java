package io.tokenhost.remote.config;

/** A refused configuration value; the message names the key and the problem. */
public final class RemoteConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public RemoteConfigException(String message) {
        super(message);
    }
}
