package io.tokenhost.host.config;

/** A configuration value that is refused; the message names the key and what is allowed. */
public class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
